// Polls the import's progress while it runs and updates the bar and counts; reloads once it has finished, so the page
// shows the download link. A failed poll keeps what is shown; the next one tries again.
(() => {
  'use strict';
  const section = document.getElementById('import-status');
  if (!section || section.dataset.status === 'Completed' || section.dataset.status === 'Failed') return;
  const bar = document.getElementById('import-progress');
  const set = (id, value) => { document.getElementById(id).textContent = value.toLocaleString('en-US'); };

  async function poll() {
    try {
      const reply = await fetch(section.dataset.progressUrl, { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (reply.ok) {
        const p = await reply.json();
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        bar.textContent = `${p.total ? Math.floor(100 * p.done / p.total) : 0}%`;
        set('rows-done', p.done); set('rows-total', p.total); set('count-imported', p.imported);
        set('count-updated', p.updated); set('count-unchanged', p.unchanged); set('count-rejected', p.rejected);
        if (p.status === 'Completed' || p.status === 'Failed') { location.reload(); return; }
      }
    } catch {
      // offline for a moment
    }
    setTimeout(poll, 1000);
  }

  setTimeout(poll, 1000);
})();
