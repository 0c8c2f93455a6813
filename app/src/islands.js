// Inline on every page, with the response's nonce. Two jobs:
// 1. A form posted the ordinary way (not sent in the background by the `InPlace` island) comes
//    back with `__err` in the address when the server refused it: put back what was typed (never
//    passwords, files or hidden fields). The values wait in this tab's sessionStorage only until
//    the next page load.
// 2. Load the wasm only on a page that has an island, hydrate each island, then mark the body
//    (browser tests wait for `data-hydrated`). Adapted from Leptos's own island loader.
((jsPath, wasmPath) => {
	const KEY = "gp-typed";
	try {
		const kept = sessionStorage.getItem(KEY);
		sessionStorage.removeItem(KEY);
		if (kept && location.search.includes("__err=")) {
			const { action, fields } = JSON.parse(kept);
			const form = [...document.forms].find((f) => f.getAttribute("action") === action);
			if (form) {
				for (const [name, value, checked] of fields) {
					for (const el of form.elements) {
						if (el.name !== name) continue;
						if (el.type === "radio" || el.type === "checkbox") {
							if (el.value === value) el.checked = checked;
						} else if (el.tagName !== "SELECT" || [...el.options].some((o) => o.value === value)) {
							el.value = value;
						}
					}
				}
			}
		}
		document.addEventListener("submit", (ev) => {
			const form = ev.target;
			if (!(form instanceof HTMLFormElement) || form.method !== "post" || form.closest(".in-place")) return;
			const fields = [];
			for (const el of form.elements) {
				if (!el.name || ["password", "file", "hidden", "submit", "button"].includes(el.type)) continue;
				if (el.type === "radio" || el.type === "checkbox") fields.push([el.name, el.value, el.checked]);
				else fields.push([el.name, el.value, false]);
			}
			sessionStorage.setItem(KEY, JSON.stringify({ action: form.getAttribute("action"), fields }));
		}, true);
	} catch (_) { /* storage unavailable: the form simply starts empty */ }

	if (!document.querySelector("leptos-island")) return;
	const childrenCallbacks = [];
	async function hydrateIsland(el, mod) {
		const islandFn = mod[el.dataset.component || ""];
		if (!islandFn) {
			console.warn(`no wasm function for the island ${el.dataset.component}`);
			return;
		}
		const cb = childrenCallbacks[childrenCallbacks.length - 1];
		if (cb) cb();
		const res = islandFn(el);
		if (res && res.then) await res;
	}
	async function traverse(node, mod) {
		if (node.nodeType !== Node.ELEMENT_NODE) return;
		const tag = node.tagName.toLowerCase();
		if (tag === "leptos-island") await hydrateIsland(node, mod);
		if (tag === "leptos-children") childrenCallbacks.push(node.$$on_hydrate);
		for (const child of node.children) await traverse(child, mod);
		if (tag === "leptos-children") childrenCallbacks.pop();
	}
	import(jsPath).then(async (mod) => {
		await mod.default({ module_or_path: wasmPath });
		mod.hydrate();
		window.__hydrateIsland = (el) => hydrateIsland(el, mod);
		await traverse(document.body, mod);
		document.body.setAttribute("data-hydrated", "true");
	});
})
