// Mounts the interactive figures of a page: every element with data-sw-widget="name" gets
// ./name.js's mount(element, config). Loaded only by pages with a widget (the `widget`
// macro emits the script tag); a module runs once, so after Material's instant navigation
// the document$ subscription mounts the widgets of the new page.
const mounted = new WeakSet();

function mountAll() {
  for (const el of document.querySelectorAll("[data-sw-widget]")) {
    const name = el.dataset.swWidget;
    if (mounted.has(el) || !/^[a-z]+$/.test(name)) continue;
    mounted.add(el);
    import(`./${name}.js`).then(module => {
      module.mount(el, JSON.parse(el.dataset.swConfig || "{}"));
      el.hidden = false;
      el.dataset.swReady = "";
      el.parentElement.querySelectorAll(`[data-sw-fallback="${el.id}"]`).forEach(node => { node.hidden = true; });
    });
  }
}

if (typeof window.document$ !== "undefined") window.document$.subscribe(mountAll);
mountAll();
