// Small behaviours kept out of the HTML: the Content-Security-Policy allows no inline script.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// htmx, for every fragment: while a request runs, the button that sent it is disabled (no
// second tap, no second record); when it fails, the form (or the polling element) says so in
// the page's language and the button comes back. The texts are data-msg-* attributes of <body>,
// translated by the template. htmx does not swap an error answer in; the X-WardSafe-Error header
// (or the status) says what went wrong.
(() => {
  // A request past gunicorn's 60 s limit has been given up by the server as well.
  if (window.htmx) {
    window.htmx.config.timeout = 65000;
  }

  const text = (name) => document.body.dataset[name] || "";
  const REASONS = {
    busy: "msgBusy",
    "stale-page": "msgStale",
    403: "msgForbidden",
    404: "msgGone",
    offline: "msgOffline",
    "logged-out": "msgLoggedOut",
  };

  const isControl = (elt) => elt.matches("button, input, a");

  const controlsOf = (elt) => {
    if (elt.matches("button, input[type=submit]")) {
      return [elt];
    }
    return elt.matches("form") ? Array.from(elt.querySelectorAll("button, input[type=submit]")) : [];
  };

  // The note sits inside a form or a polling element, and just after a lone button.
  const noteOf = (elt) => {
    const next = elt.nextElementSibling;
    if (isControl(elt)) {
      return next && next.classList.contains("not-saved") ? next : null;
    }
    return elt.querySelector(":scope > .not-saved");
  };

  const clear = (elt, target) => {
    noteOf(elt)?.remove();
    target?.classList.remove("request-failed");
  };

  const mark = (detail, kind) => {
    const elt = detail.elt;
    const reading = (detail.requestConfig?.verb || "get").toLowerCase() === "get";
    let message;
    if (kind === "timeout") {
      message = text("msgTimeout");
    } else {
      const reason = REASONS[kind] ? text(REASONS[kind]) : "";
      message = [text(reading ? "msgNotLoaded" : "msgNotSaved"), reason].filter(Boolean).join(" ");
    }
    let note = noteOf(elt);
    if (!note) {
      note = document.createElement("div");
      note.className = "alert alert-danger py-1 my-1 not-saved";
      note.setAttribute("role", "alert");
      if (isControl(elt)) {
        elt.after(note);
      } else {
        elt.append(note);
      }
    }
    note.textContent = message;
    detail.target?.classList.add("request-failed");
  };

  document.addEventListener("htmx:beforeRequest", (event) => {
    const { elt, target } = event.detail;
    if (elt.dataset.loggedOut) {
      event.preventDefault(); // a poll stops once the session has ended
      return;
    }
    clear(elt, target);
    for (const control of controlsOf(elt)) {
      if (!control.disabled) {
        control.disabled = true;
        control.dataset.sending = "true";
      }
    }
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    for (const control of controlsOf(event.detail.elt)) {
      if (control.dataset.sending) {
        control.disabled = false;
        delete control.dataset.sending;
      }
    }
  });

  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    mark(event.detail, xhr.getResponseHeader("X-WardSafe-Error") || String(xhr.status));
  });
  document.addEventListener("htmx:sendError", (event) => mark(event.detail, "offline"));
  document.addEventListener("htmx:timeout", (event) => mark(event.detail, "timeout"));

  // A session that ended answers with a redirect to the login page, which the browser follows:
  // do not swap the login form into the row; say so instead.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr } = event.detail;
    if (xhr.responseURL && new URL(xhr.responseURL).pathname === text("loginUrl")) {
      event.detail.shouldSwap = false;
      event.detail.elt.dataset.loggedOut = "true";
      mark(event.detail, "logged-out");
    }
  });
})();

// Live pages ([data-live], the ward board): each poll sends the tag of what the page shows
// (If-None-Match); "304 Not Modified" means nothing changed, and nothing is swapped. A page that
// changed comes back with its new tag (ETag). Polls carry X-WardSafe-Poll: they are not activity
// and do not keep an idle session alive.
(() => {
  document.addEventListener("htmx:configRequest", (event) => {
    const elt = event.detail.elt;
    // A button with an empty hx-post posts over htmx to its formaction (the address the plain
    // form post uses): one copy of the address, with its token, per row instead of two.
    if (elt.matches('button[formaction][hx-post=""]')) {
      event.detail.path = elt.getAttribute("formaction");
    }
    if (elt.matches("[data-live]") && elt.dataset.etag) {
      // The patient page waits while the nurse is in a dialog or a tap is being sent.
      if (elt.id === "round-live" && document.querySelector("dialog[open], #round [data-sending]")) {
        event.preventDefault();
        return;
      }
      event.detail.headers["If-None-Match"] = elt.dataset.etag;
    }
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { elt, xhr } = event.detail;
    if (!elt.matches("[data-live]")) {
      return;
    }
    if (xhr.status === 304) {
      event.detail.shouldSwap = false;
      return;
    }
    const tag = xhr.getResponseHeader("ETag");
    if (tag && xhr.status === 200) {
      elt.dataset.etag = tag;
    }
  });
})();

// The patient page's dialogs (the record dialog of an item, "the rest: done"): their contents
// are fetched when a row asks; a fetched dialog opens; a post from inside one that swaps a row
// closes it; an answer that needs the nurse again (an error, a colleague's record) comes back
// into the dialog, which stays open with what she typed.
(() => {
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target instanceof HTMLDialogElement) {
      if (!target.open) {
        target.showModal();
      }
      return;
    }
    const dialog = event.detail.requestConfig?.elt?.closest("dialog");
    if (dialog?.open) {
      dialog.close();
    }
  });
  document.addEventListener("click", (event) => {
    // "Keep theirs": the page again as it stands now, where the nurse was (the link's address
    // differs from the page's only by its #row, which would not load it again).
    if (event.target.closest("[data-reload]")) {
      event.preventDefault();
      window.location.reload();
      return;
    }
    // A link with data-dialog fetches its page's dialog over htmx (without JavaScript it is a page).
    const opener = event.target.closest("a[data-dialog]");
    if (opener && window.htmx) {
      event.preventDefault();
      const target = opener.dataset.dialog || "#record-dialog";
      window.htmx.ajax("GET", opener.getAttribute("href"), { source: opener, target, swap: "innerHTML" });
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      closer.closest("dialog")?.close();
    }
  });
})();

// The header's menus (print, the stay's actions) close as a menu does: a tap elsewhere or Escape.
(() => {
  const closeMenus = (except) => {
    for (const menu of document.querySelectorAll("details.print-menu[open]")) {
      if (menu !== except) menu.open = false;
    }
  };
  document.addEventListener("click", (event) => closeMenus(event.target.closest("details.print-menu")));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeMenus(null);
  });
})();
