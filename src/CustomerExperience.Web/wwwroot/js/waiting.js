// The waiting-room screen fetches itself every data-refresh-seconds and swaps in the new content, so the delay stays
// current without reloading the page. A failed fetch keeps what is shown; the next one tries again.
(() => {
  'use strict';
  const seconds = Number(document.body.dataset.refreshSeconds) || 60;

  async function refresh() {
    try {
      const reply = await fetch(location.href, { cache: 'no-store', headers: { Accept: 'text/html' } });
      if (reply.ok) {
        const fresh = new DOMParser().parseFromString(await reply.text(), 'text/html').getElementById('main');
        if (fresh) document.getElementById('main').replaceChildren(...fresh.childNodes);
      }
    } catch {
      // offline for a moment: keep the last figures
    }
    setTimeout(refresh, seconds * 1000);
  }

  setTimeout(refresh, seconds * 1000);
})();
