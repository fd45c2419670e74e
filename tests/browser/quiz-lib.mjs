// Helpers shared by the browser tests that answer knowledge checks: the questions as a page
// shows them and answering one by clicking labels.

/** The questions as the page shows them: id, kind, option ids in page order, and the right ones
 *  (read from the markup the build wrote, not from the script's data). */
export function questions(page, id = "awareness") {
  return page.evaluate((id) => [...document.querySelectorAll(`section.quiz[data-quiz="${id}"] fieldset.quiz-question`)].map((fs) => ({
    id: fs.getAttribute("data-question"),
    kind: fs.getAttribute("data-kind"),
    options: [...fs.querySelectorAll(".quiz-option")].map((li) => li.getAttribute("data-option")),
    right: [...fs.querySelectorAll(".quiz-option")].filter((li) => li.querySelector(".quiz-mark-correct")).map((li) => li.getAttribute("data-option")),
  })), id);
}

/** Answers question `q` with the option ids `ids` by clicking their labels (as a mouse user does). */
export async function answer(page, q, ids) {
  for (const o of q.options) {
    const input = page.locator(`fieldset[data-question="${q.id}"] input[value="${o}"]`);
    const want = ids.includes(o);
    if ((await input.isChecked()) !== want) await page.locator(`fieldset[data-question="${q.id}"] label[for="${await input.getAttribute("id")}"]`).click();
  }
}

