// Live progress of a running solve: polls the status four times a second; when the solve
// has ended the page reloads to show the plan. Text is set with textContent only.
(function () {
  "use strict";
  const box = document.getElementById("status");
  if (!box || box.dataset.running !== "yes") return;
  async function poll() {
    try {
      const response = await fetch(box.dataset.url, { cache: "no-store" });
      const status = await response.json();
      box.textContent = status.text;
      if (!status.running) { window.location.reload(); return; }
    } catch (e) { /* the server may be busy: try again */ }
    setTimeout(poll, 250);
  }
  setTimeout(poll, 300);
})();

// Editing a learner: the chosen learner's start and preferences fill the form.
(function () {
  "use strict";
  const pick = document.getElementById("learner-id");
  if (!pick) return;
  pick.addEventListener("change", function () {
    const option = pick.options[pick.selectedIndex];
    document.getElementById("learner-start").value = option.dataset.start || "";
    document.getElementById("learner-preferences").value = option.dataset.preferences || "";
  });
})();
