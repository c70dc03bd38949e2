// The dossier desk's login (the pages themselves are plain HTML forms): log in, then reload the page asked for.
(function () {
  "use strict";
  var login = document.getElementById("login");
  if (!login) { return; }
  var msg = document.getElementById("login-msg");
  login.addEventListener("submit", function (ev) {
    ev.preventDefault();
    fetch("/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ username: document.getElementById("username").value, password: document.getElementById("password").value }) })
      .then(function (r) {
        if (r.status === 200) { location.reload(); return; }
        msg.textContent = r.status === 401 ? "Sai tên đăng nhập hoặc mật khẩu." :
          r.status === 429 ? "Đăng nhập sai quá nhiều lần, xin thử lại sau ít phút." : "Không đăng nhập được (mã " + r.status + ").";
      }).catch(function () { msg.textContent = "Không kết nối được máy chủ."; });
  });
})();
