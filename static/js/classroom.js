// Instructors' pages: the progress matrix says how many columns are off-screen,
// and the set form gets a filter box and up/down buttons to order its items.
// Both pages work without this file; it only adds these helpers.
(function () {
  "use strict";

  // --- progress matrix: "4 more items to the right" -------------------------------------

  function hiddenColumns(wrap) {
    var view = wrap.getBoundingClientRect();
    var headers = wrap.querySelectorAll("thead th");
    if (headers.length < 2) return { left: 0, right: 0 };
    var stickyRight = headers[0].getBoundingClientRect().right;
    var left = 0;
    var right = 0;
    for (var i = 1; i < headers.length; i++) {
      var box = headers[i].getBoundingClientRect();
      if (box.right > view.right + 1) right++;
      else if (box.left < stickyRight - 1) left++;
    }
    return { left: left, right: right };
  }

  function describe(count, side) {
    return count + " more column" + (count === 1 ? "" : "s") + " to the " + side;
  }

  // Elements already set up. Not a data- attribute: htmx's history snapshots keep those,
  // and a restored page must be set up again.
  var ready = new WeakSet();

  function watchMatrix(wrap) {
    if (ready.has(wrap)) return;
    ready.add(wrap);
    var note = document.getElementById("matrix-more");
    function update() {
      var hidden = hiddenColumns(wrap);
      var parts = [];
      if (hidden.left) parts.push(describe(hidden.left, "left"));
      if (hidden.right) parts.push(describe(hidden.right, "right"));
      wrap.classList.toggle("more-right", hidden.right > 0);
      wrap.classList.toggle("more-left", hidden.left > 0);
      if (!note) return;
      note.hidden = parts.length === 0;
      var text = parts.length
        ? parts.join(" and ") + ": scroll the table sideways (or focus it and use the arrow keys)."
        : "";
      if (note.textContent !== text) note.textContent = text;
    }
    var queued = false;
    function later() {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        update();
      });
    }
    wrap.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    update();
  }

  // --- set form: filter and order ------------------------------------------------------

  function announce(form, text) {
    var status = form.querySelector("[data-order-status]");
    if (status) status.textContent = text;
  }

  function labelOf(item) {
    return item.querySelector("label").textContent.trim();
  }

  function renumber(list) {
    var items = list.querySelectorAll(":scope > li");
    items.forEach(function (item, index) {
      var up = item.querySelector("[data-move='up']");
      var down = item.querySelector("[data-move='down']");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === items.length - 1;
    });
  }

  function addMoveButtons(item, list) {
    if (item.querySelector("[data-move]")) return;
    var name = labelOf(item);
    [
      ["up", "↑", "Move " + name + " up"],
      ["down", "↓", "Move " + name + " down"],
    ].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button move-button";
      button.dataset.move = spec[0];
      button.textContent = spec[1];
      button.setAttribute("aria-label", spec[2]);
      item.appendChild(button);
    });
    renumber(list);
  }

  function setupSetForm(form) {
    if (ready.has(form)) return;
    ready.add(form);
    var list = form.querySelector("[data-order]");
    var filter = form.querySelector("#item-filter");
    var count = form.querySelector("[data-filter-count]");

    list.querySelectorAll(":scope > li").forEach(function (item) {
      addMoveButtons(item, list);
    });

    // Ticking an item below moves it to the end of the ordered list above.
    form.querySelectorAll("[data-choices] input[type=checkbox]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) return;
        var item = box.closest("li");
        list.appendChild(item);
        addMoveButtons(item, list);
        renumber(list);
        list.closest("[data-order-wrap]").hidden = false;
        box.focus();
        announce(form, labelOf(item) + " added as item " + list.children.length + ".");
        if (filter) filter.dispatchEvent(new Event("input")); // its group may now be empty
      });
    });

    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) return;
      var item = button.closest("li");
      if (button.dataset.move === "up" && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
      } else if (button.dataset.move === "down" && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      }
      renumber(list);
      if (button.disabled) {
        item.querySelector("[data-move]:not(:disabled)").focus();
      } else {
        button.focus();
      }
      var position = Array.prototype.indexOf.call(list.children, item) + 1;
      announce(form, labelOf(item) + " is now item " + position + " of " + list.children.length + ".");
    });

    if (!filter) return;
    filter.closest(".filter-field").hidden = false;
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var choices = form.querySelectorAll("[data-choices] li");
      choices.forEach(function (item) {
        var text = item.dataset.search || item.textContent.toLowerCase();
        var match = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        item.hidden = !match;
        if (match) shown++;
      });
      form.querySelectorAll("[data-choices] fieldset").forEach(function (group) {
        group.hidden = !group.querySelector("li:not([hidden])");
      });
      count.textContent = words.length
        ? shown + " of " + choices.length + " items match."
        : "";
    });
  }

  function setup(root) {
    root.querySelectorAll("[data-matrix]").forEach(watchMatrix);
    root.querySelectorAll("form[data-set-form]").forEach(setupSetForm);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setup(document);
  });
  ["htmx:afterSettle", "htmx:historyRestore"].forEach(function (name) {
    document.addEventListener(name, function () {
      setup(document);
    });
  });
})();
