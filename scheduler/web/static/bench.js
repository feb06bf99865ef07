// Live progress of a running solve: polls the status five times a second; when the solve
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
    setTimeout(poll, 200);
  }
  setTimeout(poll, 200);
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

// "plan.xlsx and report.html are being made": the note goes when they are ready.
(function () {
  "use strict";
  const note = document.getElementById("reports-pending");
  const box = document.getElementById("status");
  if (!note || !box) return;
  async function poll() {
    try {
      const response = await fetch(box.dataset.url, { cache: "no-store" });
      const status = await response.json();
      if (status.reports !== "running") { note.remove(); return; }
    } catch (e) { /* the server may be busy: try again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();

// Suggestions being looked for (`scheduler explain` in a child process): the page shows
// them when the analysis has ended.
(function () {
  "use strict";
  const box = document.getElementById("suggestions");
  if (!box || box.dataset.state !== "running") return;
  async function poll() {
    try {
      const response = await fetch(box.dataset.url, { cache: "no-store" });
      const analysis = await response.json();
      if (analysis.state !== "running") {
        window.location.replace(window.location.pathname + window.location.search +
                                "#suggestions");
        window.location.reload();
        return;
      }
    } catch (e) { /* the server may be busy: try again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
