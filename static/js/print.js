// Print buttons (data-print) open the browser's print dialog; the print stylesheet in
// events.css lays the page out. Without JavaScript the buttons stay hidden.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
