// The « Imprimer » button of the attendance sheet (the browser's own print
// menu works as well without JavaScript).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
