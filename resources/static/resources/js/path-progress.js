/* Learning path progress, kept in this browser only (localStorage).
   Without JavaScript the steps stay a plain ordered list: the checkboxes and
   the progress bar are hidden in the HTML and shown here. */
(function () {
    "use strict";

    var box = document.querySelector("[data-path-progress]");
    if (!box) {
        return;
    }
    var key = box.getAttribute("data-storage-key");
    var total = parseInt(box.getAttribute("data-total"), 10) || 0;
    var bar = box.querySelector("progress");
    var text = box.querySelector(".path-progress__text");
    var checkboxes = Array.prototype.slice.call(
        document.querySelectorAll("input[data-step-id]")
    );

    function load() {
        try {
            var stored = JSON.parse(window.localStorage.getItem(key) || "[]");
            return Array.isArray(stored) ? stored.map(String) : [];
        } catch (error) {
            return [];
        }
    }

    function save(done) {
        try {
            window.localStorage.setItem(key, JSON.stringify(done));
        } catch (error) {
            /* Private browsing or storage full: progress lasts the visit. */
        }
    }

    function label(count) {
        var template = box.getAttribute(count > 1 ? "data-label-many" : "data-label-one");
        return template.replace("__DONE__", String(count));
    }

    function render(announce) {
        var done = checkboxes.filter(function (box) { return box.checked; }).length;
        bar.value = done;
        bar.setAttribute("aria-valuetext", label(done));
        if (announce || text.textContent !== label(done)) {
            text.textContent = label(done);
        }
        checkboxes.forEach(function (checkbox) {
            var step = checkbox.closest(".path-step");
            if (step) {
                step.classList.toggle("path-step--done", checkbox.checked);
            }
        });
    }

    function current() {
        return checkboxes
            .filter(function (checkbox) { return checkbox.checked; })
            .map(function (checkbox) { return checkbox.getAttribute("data-step-id"); });
    }

    var done = load();
    checkboxes.forEach(function (checkbox) {
        checkbox.checked = done.indexOf(checkbox.getAttribute("data-step-id")) !== -1;
        checkbox.closest("[data-step-check]").hidden = false;
        checkbox.addEventListener("change", function () {
            save(current());
            render(true);
        });
    });
    var reset = box.querySelector("[data-progress-reset]");
    if (reset) {
        reset.addEventListener("click", function () {
            checkboxes.forEach(function (checkbox) { checkbox.checked = false; });
            save([]);
            render(true);
        });
    }
    if (total !== checkboxes.length) {
        total = checkboxes.length;
    }
    box.hidden = false;
    render(false);
}());
