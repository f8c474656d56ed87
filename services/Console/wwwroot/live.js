// Live regions: an element with an id and data-live-refresh="SECONDS" is read again from the server every SECONDS and its content
// replaced, so a queue shows new and changed tickets without reloading. Nothing is replaced while the person is typing in it, while
// the tab is hidden, or when the answer is not the same page (e.g. the session ended and the sign-in page came back).
(() => {
  const regions = document.querySelectorAll('[data-live-refresh][id]');
  for (const region of regions) {
    const seconds = Math.max(3, Number(region.dataset.liveRefresh) || 15);
    const status = document.getElementById(region.id + '-status');
    setInterval(async () => {
      const active = document.activeElement;
      if (document.hidden || (active && region.contains(active) && active.matches('input, select, textarea'))) {
        return;
      }
      try {
        const response = await fetch(location.href, { credentials: 'same-origin', headers: { 'X-Live-Refresh': '1' }, redirect: 'error' });
        if (!response.ok) {
          return;
        }
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.getElementById(region.id);
        if (fresh && fresh.innerHTML !== region.innerHTML) {
          region.innerHTML = fresh.innerHTML;
        }
        if (status) {
          status.textContent = 'Aktualisiert um ' + new Date().toLocaleTimeString('de-DE');
        }
      } catch {
        // Offline or signed out: the next round tries again; the page keeps what it showed.
      }
    }, seconds * 1000);
  }
})();
