// The reader page's script: reads the JSON API of the server it came from, shows the
// updates newest first in the reader's time zone, filters them by words, article and actor
// (kept in the address's #fragment, so a filtered view can be bookmarked and Back works),
// and inserts new updates as /stream sends them. No framework; text goes in with
// textContent only, so nothing from the data is ever parsed as HTML.
"use strict";

(() => {
  const PAGE_SIZE = 30;
  /** The first page of /actors names most speakers; others are asked for one by one. */
  const NAMES_PAGE = 500;
  const ARTICLES_PAGE = 100;
  /** Titles are whole sentences: the picker and each update's line show their start. */
  const SHORT_TITLE = 72;

  const $ = (id) => document.getElementById(id);
  const list = $("updates");
  const more = $("more");
  const live = $("live");
  const summary = $("summary");
  const form = $("filters");
  const picker = $("article");
  const search = $("q");
  const active = $("active");

  const when = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });

  const names = new Map();          // actor id -> display name
  const pendingNames = new Map();   // actor id -> Promise of a name
  const titles = new Map();         // article id -> title
  const shown = new Map();          // update id -> its <li>
  let next = null;
  let total = 0;
  let stream = null;
  let generation = 0;               // a newer view makes older answers stale

  // ---- filters in the #fragment -------------------------------------------------------

  function currentFilters() {
    const hash = new URLSearchParams(location.hash.slice(1));
    return {
      actors: hash.getAll("actor").filter(Boolean),
      article: hash.get("article") || "",
      q: (hash.get("q") || "").trim(),
    };
  }

  function queryOf(filters) {
    const query = new URLSearchParams();
    for (const actor of filters.actors) query.append("actor", actor);
    if (filters.article) query.set("article", filters.article);
    if (filters.q) query.set("q", filters.q);
    return query;
  }

  function hrefFor(filters) {
    const query = queryOf(filters).toString();
    return query ? "#" + query : "#";
  }

  // ---- the API ------------------------------------------------------------------------

  async function getJSON(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error((body && body.detail) || `${path} answered ${response.status}`);
    }
    return body;
  }

  async function loadNames() {
    try {
      const page = await getJSON(`/actors?limit=${NAMES_PAGE}`);
      for (const actor of page.actors) names.set(actor.id, actor.name);
    } catch (error) {
      // Ids stand in for names until they are known.
    }
  }

  function nameOf(id) {
    if (names.has(id)) return Promise.resolve(names.get(id));
    if (!pendingNames.has(id)) {
      pendingNames.set(id, getJSON(`/actors/${encodeURIComponent(id)}`)
        .then((actor) => { names.set(id, actor.name); return actor.name; })
        .catch(() => id));
    }
    return pendingNames.get(id);
  }

  async function loadArticles() {
    let path = `/articles?limit=${ARTICLES_PAGE}`;
    for (let pages = 0; path && pages < 10; pages += 1) {
      const page = await getJSON(path);
      for (const article of page.articles) {
        titles.set(article.id, article.title);
        const option = document.createElement("option");
        option.value = article.id;
        option.textContent = short(article.title);
        option.title = article.title;
        picker.append(option);
      }
      path = page.next;
    }
  }

  // ---- rendering ----------------------------------------------------------------------

  function short(title) {
    if (title.length <= SHORT_TITLE) return title;
    const cut = title.slice(0, SHORT_TITLE);
    return cut.slice(0, Math.max(cut.lastIndexOf(" "), SHORT_TITLE / 2)).replace(/[,;:.]$/, "") + "…";
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A link that filters by one actor, named as soon as the name is known. */
  function actorLink(id) {
    const filters = currentFilters();
    const link = element("a", "actor", names.get(id) || id);
    link.href = hrefFor({ actors: [id], article: filters.article, q: "" });
    link.dataset.actor = id;
    if (!names.has(id)) nameOf(id).then((name) => { link.textContent = name; });
    return link;
  }

  function duration(seconds) {
    const minutes = Math.floor(seconds / 60);
    return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function embedCard(embed) {
    const card = element("aside", "card " + embed.kind);
    if (embed.kind === "tweet") {
      card.append(element("span", "kind", "Tweet"));
      card.append(element("p", "", embed.text));
      card.append(element("p", "by", `— ${embed.author} (${embed.handle}), ${embed.date}`));
      if (embed.links && embed.links.length) {
        const links = element("p", "by");
        embed.links.forEach((href, index) => {
          const link = element("a", "", href);
          link.href = /^https?:\/\//.test(href) ? href : "https://" + href;
          link.rel = "noopener noreferrer nofollow";
          if (index) links.append(" ");
          links.append(link);
        });
        card.append(links);
      }
    } else if (embed.kind === "video") {
      card.append(element("span", "kind", "Video"));
      card.append(element("p", "", embed.title));
      card.append(element("p", "by", `Length ${duration(embed.duration)}`));
    }
    card.setAttribute("aria-label", embed.kind === "tweet" ? `Tweet by ${embed.author}` : "Video");
    return card;
  }

  function render(update, fresh) {
    const item = element("li", "update" + (fresh ? " fresh" : ""));
    item.dataset.id = update.id;
    item.dataset.time = update.time;
    item.tabIndex = -1;
    const article = element("article");
    const meta = element("p", "meta");
    const time = element("time", "", when.format(new Date(update.time)));
    time.dateTime = update.time;
    meta.append(time);
    if (titles.has(update.article)) {
      meta.append(" · ");
      const from = element("a", "", short(titles.get(update.article)));
      from.title = titles.get(update.article);
      from.href = hrefFor({ actors: [], article: update.article, q: "" });
      meta.append(from);
    }
    article.append(meta);
    article.append(element("h2", "", update.headline));
    for (const paragraph of update.body) article.append(element("p", "", paragraph));
    for (const quote of update.quotes) {
      const figure = element("figure", "quote");
      figure.append(element("blockquote", "", quote.text));
      const caption = element("figcaption", "", "— ");
      caption.append(actorLink(quote.actor));
      figure.append(caption);
      article.append(figure);
    }
    for (const embed of update.embeds) article.append(embedCard(embed));
    if (update.actors.length) {
      const actors = element("ul", "actors");
      actors.setAttribute("aria-label", "Named in this update (each filters the updates)");
      for (const id of update.actors) {
        const entry = element("li");
        entry.append(actorLink(id));
        actors.append(entry);
      }
      article.append(actors);
    }
    item.append(article);
    return item;
  }

  /** Newest first: before the first shown update that is older. */
  function place(item) {
    const time = item.dataset.time;
    const older = [...list.children].find((child) => child.dataset.time < time);
    list.insertBefore(item, older || null);
  }

  function describe(filters) {
    const parts = [];
    if (filters.q) parts.push(`words “${filters.q}”`);
    if (filters.article) parts.push(`article “${short(titles.get(filters.article) || filters.article)}”`);
    const shownCount = list.children.length;
    const noun = total === 1 ? "update" : "updates";
    summary.textContent = `${total} ${noun}${parts.length ? " with " + parts.join(" and ") : ""}` +
      (shownCount < total ? `, ${shownCount} shown` : "") + ", newest first.";
    active.replaceChildren();
    active.hidden = filters.actors.length === 0;
    if (filters.actors.length) {
      active.append("Only updates naming ");
      filters.actors.forEach((id, index) => {
        if (index) active.append(" and ");
        active.append(element("strong", "", names.get(id) || id));
      });
      const clear = element("button", "", "Show every actor");
      clear.type = "button";
      clear.addEventListener("click", () => {
        location.hash = hrefFor({ actors: [], article: filters.article, q: filters.q });
      });
      active.append(clear);
    }
  }

  function append(updates, fresh) {
    for (const update of updates) {
      if (shown.has(update.id)) continue;
      const item = render(update, fresh);
      shown.set(update.id, item);
      list.append(item);
    }
  }

  async function showPage(path, mine) {
    more.hidden = true;
    const page = await getJSON(path);
    if (mine !== generation) return;
    append(page.updates, false);
    total = page.total;
    next = page.next;
    more.hidden = !next;
    describe(currentFilters());
  }

  // ---- live updates -------------------------------------------------------------------

  function setLive(state, text) {
    live.dataset.state = state;
    live.textContent = text;
  }

  function connect(filters) {
    if (stream) stream.close();
    if (typeof EventSource !== "function") {
      setLive("closed", "Live updates need a browser with EventSource; reload for new updates.");
      return;
    }
    const query = queryOf(filters).toString();
    stream = new EventSource("/stream" + (query ? "?" + query : ""));
    stream.addEventListener("open", () => setLive("open", "Live: new updates appear at the top."));
    stream.addEventListener("error", () => {
      setLive("closed", stream.readyState === EventSource.CLOSED
        ? "Live updates stopped; reload the page to resume."
        : "Reconnecting to live updates…");
    });
    stream.addEventListener("update", (event) => {
      let update;
      try { update = JSON.parse(event.data); } catch (error) { return; }
      const item = render(update, true);
      const existing = shown.get(update.id);
      if (existing) {
        existing.replaceWith(item);
      } else {
        total += 1;
        place(item);
      }
      shown.set(update.id, item);
      describe(currentFilters());
    });
    stream.addEventListener("removed", (event) => {
      const id = event.data.trim();
      const existing = shown.get(id);
      if (existing) {
        existing.remove();
        shown.delete(id);
        total = Math.max(0, total - 1);
        describe(currentFilters());
      }
    });
    stream.addEventListener("reset", () => show());
  }

  // ---- the view -----------------------------------------------------------------------

  async function show() {
    const mine = ++generation;
    const filters = currentFilters();
    search.value = filters.q;
    picker.value = filters.article;
    list.replaceChildren();
    shown.clear();
    summary.textContent = "Loading…";
    const query = queryOf(filters);
    query.set("limit", String(PAGE_SIZE));
    try {
      await showPage("/updates?" + query.toString(), mine);
    } catch (error) {
      if (mine === generation) summary.textContent = `Could not load the updates: ${error.message}`;
    }
    if (mine === generation) connect(filters);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const filters = currentFilters();
    location.hash = hrefFor({ actors: filters.actors, article: picker.value, q: search.value.trim() });
  });
  picker.addEventListener("change", () => form.requestSubmit());
  more.addEventListener("click", async () => {
    if (!next) return;
    const firstNew = list.children.length;
    try {
      await showPage(next, generation);
      const item = list.children[firstNew];
      if (item) item.focus();
    } catch (error) {
      summary.textContent = `Could not load more updates: ${error.message}`;
    }
  });
  window.addEventListener("hashchange", () => show());

  // j and k move between updates, as in feed readers; typing in a field is left alone.
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== "j" && event.key !== "k") return;
    const items = [...list.children];
    const at = items.indexOf(document.activeElement.closest(".update"));
    const target = items[event.key === "j" ? at + 1 : Math.max(0, at - 1)];
    if (target) { target.focus(); target.scrollIntoView({ block: "start" }); event.preventDefault(); }
  });

  Promise.all([loadNames(), loadArticles().catch(() => {})]).then(show);
})();
