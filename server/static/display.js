// The hall display: live state by server-sent events (EventSource reconnects by itself; every (re)connect
// starts with the whole state), a chime and the Vietnamese announcement for each call and recall.
(function () {
  "use strict";
  var hall = document.getElementById("hall");
  var unit = hall.dataset.unit;
  var audio = document.getElementById("audio");
  var state = window.displayState = { connected: false, resyncs: 0, state: null, announced: [], audioRequested: [], played: 0 };
  var queue = [], playing = false;

  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }

  function clock() {  // the department's time zone (the server's), whatever the TV's own setting
    var now = new Date(), tz = (state.state && state.state.timezone) || undefined;
    try {
      document.getElementById("clock").textContent = now.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: tz });
      document.getElementById("date").textContent = now.toLocaleDateString("vi-VN", { weekday: "long", day: "2-digit", month: "2-digit", year: "numeric", timeZone: tz });
    } catch (e) { tz = undefined; }
  }

  function render(s) {
    state.state = s;
    clock();
    document.getElementById("dept").textContent = s.department;
    var now = s.calls[0];
    document.getElementById("now-number").textContent = now ? now.number : "—";
    document.getElementById("now-counter").textContent = now ? "Quầy " + now.counter : "\u00a0";
    var last = document.getElementById("last");
    last.textContent = "";
    s.calls.slice(1).forEach(function (c) {
      var li = el("li"); li.appendChild(el("span", null, c.number)); li.appendChild(el("span", null, "Quầy " + c.counter)); last.appendChild(li);
    });
    var waiting = document.getElementById("waiting");
    waiting.textContent = "";
    Object.keys(s.waiting).forEach(function (sv) {
      waiting.appendChild(el("li", null, "Dịch vụ " + sv + ": " + s.waiting[sv] + " người"));
    });
  }

  function say(a) {
    var text = "Mời số " + a.number + " đến quầy số " + a.counter;
    document.getElementById("say").textContent = text;
    var now = document.querySelector(".hall-now");
    now.classList.remove("flash"); void now.offsetWidth; now.classList.add("flash");
    queue.push("/audio/call/" + a.number + "/" + a.counter + ".wav");
    next();
  }

  function next() {
    if (playing || !queue.length) return;
    playing = true;
    var url = queue.shift();
    state.audioRequested.push(url);
    audio.src = url;
    var done = function () { playing = false; state.played += 1; next(); };
    audio.onended = done;
    audio.onerror = done;
    var p = audio.play();
    if (p && p.catch) p.catch(done);  // autoplay refused (no --autoplay-policy): the text stays on screen
  }

  function connect() {
    var es = new EventSource("/api/v1/events" + (unit ? "?unit=" + encodeURIComponent(unit) : ""));
    var conn = document.getElementById("conn");
    es.addEventListener("state", function (ev) {
      var m = JSON.parse(ev.data);
      if (m.resync) state.resyncs += 1;
      state.connected = true;
      conn.textContent = "Đã kết nối"; conn.className = "conn";
      if (m.state) render(m.state);
      (m.announce || []).forEach(function (a) {
        if (state.announced.indexOf(a.id) < 0) { state.announced.push(a.id); say(a); }
      });
    });
    es.onerror = function () {
      state.connected = false;
      conn.textContent = "Mất kết nối — đang kết nối lại…"; conn.className = "conn down";
    };
  }

  clock();
  setInterval(clock, 1000);
  connect();
})();
