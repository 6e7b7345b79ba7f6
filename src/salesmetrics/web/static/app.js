// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A changed filter applies at once; the Apply button stays for the period field and keyboards.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  // Show the chosen files' names in the drop zone, and highlight it while something is dragged over.
  for (const zone of document.querySelectorAll("label.drop")) {
    const input = zone.querySelector("input[type=file]");
    const caption = zone.querySelector("span");
    const show = () => {
      if (input.files.length) caption.textContent = Array.from(input.files, (f) => f.name).join(", ");
    };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      input.files = event.dataTransfer.files;
      show();
    });
  }
});
