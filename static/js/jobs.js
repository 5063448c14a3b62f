// A background job's status panel (data-job-poll: the address of its status fragment) is
// fetched again every two seconds while the job is queued or running; once it has finished,
// the page reloads to show what the job changed. Without JavaScript, the page refreshes
// itself (a meta refresh in <noscript>) and the panel has a "Refresh" link.
(() => {
  const panel = document.querySelector("[data-job-poll]");
  if (!panel) return;
  const url = panel.dataset.jobPoll;
  const poll = async () => {
    let html;
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      html = await response.text();
    } catch (error) {
      window.setTimeout(poll, 5000);
      return;
    }
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const fresh = holder.querySelector("#job-status");
    const current = document.getElementById("job-status");
    if (!fresh || !current) return;
    if (!fresh.hasAttribute("data-job-poll")) {
      window.location.reload();
      return;
    }
    current.replaceWith(fresh);
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
})();
