// The waiting-room screen fetches itself every data-refresh-seconds and swaps in the new content, so the delay stays
// current without reloading the page. A failed fetch keeps what is shown; the next one tries again. A location taken out
// of use answers 404 with its own screen ("not taking visitors"), swapped in like any other: it is still this screen.
(() => {
  'use strict';
  const seconds = Number(document.body.dataset.refreshSeconds) || 60;

  async function refresh() {
    try {
      const reply = await fetch(location.href, { cache: 'no-store', headers: { Accept: 'text/html' } });
      if (reply.ok || reply.status === 404) {
        const page = new DOMParser().parseFromString(await reply.text(), 'text/html');
        const fresh = page.body.classList.contains('waiting') && page.getElementById('main');
        if (fresh) document.getElementById('main').replaceChildren(...fresh.childNodes);
      }
    } catch {
      // offline for a moment: keep the last figures
    }
    setTimeout(refresh, seconds * 1000);
  }

  setTimeout(refresh, seconds * 1000);
})();
