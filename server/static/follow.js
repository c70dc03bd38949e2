// The follow page, live: the server-rendered page stays readable without JavaScript (it reloads every 15 s).
(function () {
  "use strict";
  var root = document.getElementById("follow");
  if (!root) return;
  var day = root.dataset.day, number = root.dataset.number, unit = root.dataset.unit, lang = root.dataset.lang;
  var T = lang === "en" ? {
    waiting: "Waiting", called: "Called, counter ", serving: "Being served, counter ", done: "Done",
    no_show: "Missed (no-show)", ahead: function (n, m) { return n === 0 ? "You are next" : n + " people ahead of you · about " + m + " min"; },
    calledHint: "Please go to the counter now", doneHint: "Thank you", noShowHint: "Please ask at the reception desk"
  } : {
    waiting: "Đang chờ", called: "Đã gọi, quầy ", serving: "Đang phục vụ, quầy ", done: "Đã xong",
    no_show: "Vắng mặt", ahead: function (n, m) { return n === 0 ? "Bạn là người tiếp theo" : "Còn " + n + " người trước bạn · khoảng " + m + " phút"; },
    calledHint: "Mời bạn đến quầy ngay", doneHint: "Cảm ơn bạn", noShowHint: "Xin hỏi tại quầy hướng dẫn"
  };
  window.followState = { updates: 0, status: null };
  function show(s) {
    var st = document.getElementById("status"), dt = document.getElementById("detail");
    var text = s.status === "waiting" ? T.waiting : s.status === "called" ? T.called + s.counter :
      s.status === "serving" ? T.serving + s.counter : s.status === "done" ? T.done : T.no_show;
    var detail = s.status === "waiting" ? T.ahead(s.people_ahead, s.wait_minutes) : s.status === "called" ? T.calledHint :
      s.status === "done" ? T.doneHint : s.status === "no_show" ? T.noShowHint : "";
    st.textContent = text;
    st.className = "follow-status status-" + s.status;
    dt.textContent = detail;
    document.getElementById("updated").textContent = s.updated_at;
    window.followState.updates += 1;
    window.followState.status = s.status;
  }
  function refresh() {
    fetch("/api/v1/follow/" + day + "/" + number, { cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (s) { if (s) show(s); }).catch(function () {});
  }
  var es = new EventSource("/api/v1/events" + (unit ? "?unit=" + encodeURIComponent(unit) : ""));
  es.addEventListener("state", refresh);
})();
