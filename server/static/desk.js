// The counter desk: login, the counter's state (refreshed on every live event), actions with the CSRF token.
(function () {
  "use strict";
  function csrf() {
    var m = document.cookie.match(/(?:^|; )motcua_csrf=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : (sessionStorage.getItem("csrf") || "");
  }
  function msg(text, good) { var m = document.getElementById("msg") || document.getElementById("login-msg"); m.textContent = text; m.className = "msg" + (good ? " good" : ""); }
  function vi(detail, status) {
    var m = /\(([^)]+)\)/.exec(detail || "");
    if (m) return m[1];
    if (status === 401) return "Phiên đăng nhập đã hết, xin đăng nhập lại.";
    if (status === 403) return "Bạn không có quyền làm việc này.";
    if (status === 429) return "Sai quá nhiều lần, xin thử lại sau ít phút.";
    if (status === 422) return "Thông tin chưa đúng, xin kiểm tra lại.";
    if (status >= 500) return "Máy chủ đang bận, xin thử lại.";
    return "Không thực hiện được: " + (detail || status);
  }

  var login = document.getElementById("login");
  if (login) {
    login.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var counter = document.getElementById("counter").value;
      fetch("/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
        body: JSON.stringify({ username: document.getElementById("username").value, password: document.getElementById("password").value }) })
        .then(function (r) { return r.json().then(function (b) { return [r.status, b]; }); })
        .then(function (x) {
          if (x[0] !== 200) { msg(x[0] === 401 ? "Sai tên đăng nhập hoặc mật khẩu." : vi(x[1].detail, x[0])); return; }
          sessionStorage.setItem("csrf", x[1].csrf_token);
          location.href = "/desk?counter=" + encodeURIComponent(counter);
        }).catch(function () { msg("Không kết nối được máy chủ."); });
    });
    return;
  }

  var desk = document.getElementById("desk");
  var n = desk.dataset.counter, unit = desk.dataset.unit;
  var current = null, paused = false, busy = false;
  window.deskState = { loads: 0, last: null };
  Array.prototype.forEach.call(document.querySelectorAll(".csrf"), function (i) { i.value = csrf(); });

  function render(s) {
    current = s.current; paused = s.paused;
    document.getElementById("counter-name").textContent = s.name ? "· " + s.name : "";
    document.getElementById("current").textContent = s.current ? s.current.number : "—";
    var words = { called: "Đã gọi", serving: "Đang phục vụ" };
    document.getElementById("current-status").textContent = s.paused ? "Quầy đang tạm nghỉ" :
      s.current ? words[s.current.status] + (s.current.recalls ? " · đã gọi lại " + s.current.recalls + " lần" : "") +
        (s.current.priority ? " · ưu tiên" : "") : "Chưa gọi số nào";
    var has = !!s.current;
    document.getElementById("btn-call").disabled = s.paused;
    document.getElementById("btn-recall").disabled = !has || s.current.status !== "called";
    document.getElementById("btn-noshow").disabled = !has || s.current.status !== "called";
    document.getElementById("btn-start").disabled = !has || s.current.status !== "called";
    document.getElementById("btn-finish").disabled = !has;
    document.getElementById("btn-transfer").disabled = !has;
    document.getElementById("pause-label").textContent = s.paused ? "Tiếp tục làm việc" : "Tạm nghỉ";
    document.getElementById("btn-pause").dataset.action = s.paused ? "resume" : "pause";
    var lines = document.getElementById("lines");
    lines.textContent = "";
    var sel = document.getElementById("transfer-service");
    Object.keys(s.lines).forEach(function (sv) {
      var box = document.createElement("div"); box.className = "line";
      var h = document.createElement("h2"); h.textContent = "Dịch vụ " + sv + " — " + s.lines[sv].length + " người chờ"; box.appendChild(h);
      var ol = document.createElement("ol");
      s.lines[sv].slice(0, 30).forEach(function (t) {
        var li = document.createElement("li");
        var a = document.createElement("span"); a.textContent = t.number + (t.priority ? " ★" : "") + (t.transferred ? " ⇄" : "");
        if (t.priority) { a.className = "prio"; a.title = "Ưu tiên"; }
        var b = document.createElement("span"); b.className = "wait"; b.textContent = t.minutes + " phút";
        li.appendChild(a); li.appendChild(b); ol.appendChild(li);
      });
      box.appendChild(ol); lines.appendChild(box);
    });
    var known = Array.prototype.map.call(sel.options, function (o) { return o.value; });
    (window.allServices || []).concat(Object.keys(s.lines)).forEach(function (sv) {
      if (known.indexOf(sv) < 0) { var o = document.createElement("option"); o.value = sv; o.textContent = "Dịch vụ " + sv; sel.appendChild(o); known.push(sv); }
    });
    window.deskState.loads += 1; window.deskState.last = s;
  }

  function load() {
    return fetch("/api/v1/counters/" + n, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 401) { location.href = "/desk?counter=" + n; return; }
      return r.json().then(function (b) { if (r.ok) render(b); else msg(vi(b.detail, r.status)); });
    });
  }

  function act(action, body) {
    if (busy) return;
    busy = true;
    fetch("/api/v1/counters/" + n + "/" + action, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() }, body: body ? JSON.stringify(body) : null })
      .then(function (r) {
        if (r.status === 204) { msg("Không còn ai đang chờ.", true); return; }
        return r.json().then(function (b) {
          if (!r.ok) { msg(vi(b.detail, r.status)); return; }
          var t = b.ticket ? b.ticket.number : "";
          var said = { call: "Đã gọi số " + t, recall: "Đã gọi lại số " + t, "no-show": b.requeued ? "Số " + t + " vắng mặt: xếp lại cuối hàng" : "Số " + t + " vắng mặt",
            start: "Bắt đầu phục vụ số " + t, finish: "Đã phục vụ xong số " + t, transfer: "Đã chuyển số " + t,
            pause: "Quầy tạm nghỉ", resume: "Quầy làm việc trở lại" };
          msg(said[action] || "Xong", true);
        });
      }).catch(function () { msg("Không kết nối được máy chủ."); })
      .then(function () { busy = false; return load(); });
  }

  document.getElementById("logout").addEventListener("submit", function (ev) {
    ev.preventDefault();
    fetch("/api/v1/auth/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf() } })
      .then(function () { location.href = "/desk?counter=" + n; });
  });
  var tform = document.getElementById("transfer");
  function openTransfer() { tform.hidden = false; document.getElementById("transfer-service").focus(); }
  document.getElementById("transfer-cancel").addEventListener("click", function () { tform.hidden = true; });
  tform.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var sv = document.getElementById("transfer-service").value, c = document.getElementById("transfer-counter").value;
    var body = {};
    if (sv) body.service = sv;
    if (c) body.counter = parseInt(c, 10);
    tform.hidden = true;
    act("transfer", body);
  });
  Array.prototype.forEach.call(document.querySelectorAll(".desk-actions button"), function (b) {
    b.addEventListener("click", function () { if (b.dataset.action === "transfer") openTransfer(); else act(b.dataset.action); });
  });
  var keys = { n: "call", enter: "call", r: "recall", v: "no-show", b: "start", h: "finish", p: "pause", c: "transfer" };
  document.addEventListener("keydown", function (ev) {
    if (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT" || ev.ctrlKey || ev.altKey || ev.metaKey) return;
    var a = keys[ev.key.toLowerCase()];
    if (!a) return;
    var btn = document.querySelector('.desk-actions [data-action="' + (a === "pause" ? document.getElementById("btn-pause").dataset.action : a) + '"]');
    if (!btn || btn.disabled) return;
    ev.preventDefault();
    btn.click();
  });
  fetch("/api/v1/queue/state" + (unit ? "?unit=" + encodeURIComponent(unit) : "")).then(function (r) { return r.json(); })
    .then(function (s) { window.allServices = Object.keys(s.waiting || {}); }).catch(function () {});
  load();
  var es = new EventSource("/api/v1/events" + (unit ? "?unit=" + encodeURIComponent(unit) : ""));
  es.addEventListener("state", function () { load(); });
})();
