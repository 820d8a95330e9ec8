// Outcry dashboard script, served from /assets/ (the only script a page runs besides
// ECharts itself). Pages carry each go-echarts option as JSON in data-option; this file
// draws them, then polls: charts with data-src get a fresh option, elements with
// data-fragment get fresh server-rendered (escaped) HTML. No inline script, no eval.
(function () {
  "use strict";

  var drawn = [];

  function initCharts() {
    if (typeof echarts === "undefined") {
      return;
    }
    var els = document.querySelectorAll(".chart[data-option]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.getAttribute("data-drawn") === "true") {
        continue;
      }
      var opt;
      try {
        opt = JSON.parse(el.getAttribute("data-option"));
      } catch (e) {
        el.setAttribute("data-drawn", "error");
        continue;
      }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(opt);
      el.setAttribute("data-drawn", "true");
      el.setAttribute("data-series", String((opt.series || []).length));
      drawn.push({ el: el, chart: chart });
    }
  }

  function setLive(state, text) {
    var live = document.getElementById("live");
    if (live) {
      live.setAttribute("data-state", state);
      live.textContent = text;
    }
  }

  function get(url, asJSON) {
    return fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: asJSON ? "application/json" : "text/html" }
    }).then(function (r) {
      if (!r.ok) {
        throw new Error(url + ": HTTP " + r.status);
      }
      return asJSON ? r.json() : r.text();
    });
  }

  function refresh() {
    if (document.hidden) {
      return;
    }
    var jobs = [];
    drawn.forEach(function (d) {
      var src = d.el.getAttribute("data-src");
      if (!src) {
        return;
      }
      jobs.push(get(src, true).then(function (opt) {
        if (opt.legend && !Array.isArray(opt.legend)) {
          delete opt.legend.selected; // keep what the user toggled
        }
        d.chart.setOption(opt, { replaceMerge: ["series"] });
      }));
    });
    var frags = document.querySelectorAll("[data-fragment]");
    for (var i = 0; i < frags.length; i++) {
      (function (el) {
        jobs.push(get(el.getAttribute("data-fragment"), false).then(function (html) {
          el.innerHTML = html; // same-origin, server-rendered with html/template
        }));
      })(frags[i]);
    }
    Promise.all(jobs).then(function () {
      setLive("ok", "live · " + new Date().toISOString().slice(11, 19) + " UTC");
    }, function () {
      setLive("error", "offline · retrying");
    });
  }

  function start() {
    initCharts();
    window.addEventListener("resize", function () {
      drawn.forEach(function (d) { d.chart.resize(); });
    });
    var every = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
    if (every > 0) {
      setInterval(refresh, every * 1000);
      document.addEventListener("visibilitychange", function () {
        if (!document.hidden) {
          refresh();
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
