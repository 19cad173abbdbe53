// « Imprimer ce guide »: the button is hidden until this script runs, so a
// visitor without JavaScript only sees the hint about Ctrl + P.
(function () {
    "use strict";
    var buttons = document.querySelectorAll("[data-print-button]");
    if (!buttons.length || typeof window.print !== "function") {
        return;
    }
    buttons.forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            window.print();
        });
    });
    document.querySelectorAll("[data-print-hint]").forEach(function (hint) {
        hint.hidden = true;
    });
})();
