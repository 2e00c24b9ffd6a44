// Small SVG charts drawn in the page: lines (accuracy against labels, loss per epoch) and bars
// (per-class accuracy). Nothing is fetched; each function returns SVG markup as a string.
"use strict";

const Charts = (() => {
  const PALETTE = ["#2f6fde", "#d9480f", "#1f8a4c", "#9c36b5", "#c2255c", "#0c8599", "#5f3dc4", "#e67700"];

  function esc(s) {
    return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function niceTicks(min, max, count) {
    if (!(max > min)) { max = min + 1; }
    const span = max - min;
    const raw = span / Math.max(1, count);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => span / s <= count) || raw;
    const ticks = [];
    for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
      ticks.push(Number(v.toPrecision(12)));
    }
    return ticks;
  }

  function fmt(v, percent) {
    if (percent) { return Math.round(v * 100) + "%"; }
    if (Math.abs(v) >= 1000) { return Math.round(v).toLocaleString(); }
    return String(Number(v.toPrecision(3)));
  }

  /**
   * series: [{name, points: [[x, y], ...], color?}]; opts: {xLabel, yLabel, yMin, yMax, percent,
   * width, height, id}. Points with a null y are left out.
   */
  function line(series, opts = {}) {
    const W = opts.width || 640, H = opts.height || 280;
    const L = 52, R = 14, T = 12, B = 40;
    const pts = series.flatMap(s => s.points.filter(p => p[1] !== null && p[1] !== undefined && !Number.isNaN(p[1])));
    if (!pts.length) {
      return `<svg class="chart" viewBox="0 0 ${W} ${H}" ${opts.id ? `id="${esc(opts.id)}"` : ""}><text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data yet</text></svg>`;
    }
    let x0 = Math.min(...pts.map(p => p[0])), x1 = Math.max(...pts.map(p => p[0]));
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    let y0 = opts.yMin !== undefined ? opts.yMin : Math.min(...pts.map(p => p[1]));
    let y1 = opts.yMax !== undefined ? opts.yMax : Math.max(...pts.map(p => p[1]));
    if (y0 === y1) { y0 -= 1; y1 += 1; }
    const sx = x => L + (x - x0) / (x1 - x0) * (W - L - R);
    const sy = y => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
    let svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" ${opts.id ? `id="${esc(opts.id)}"` : ""}>`;
    for (const t of niceTicks(y0, y1, 5)) {
      svg += `<line class="grid" x1="${L}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}"/>`;
      svg += `<text x="${L - 6}" y="${sy(t) + 4}" text-anchor="end">${fmt(t, opts.percent)}</text>`;
    }
    for (const t of niceTicks(x0, x1, 8).filter(v => !opts.integerX || Number.isInteger(v))) {
      svg += `<text x="${sx(t)}" y="${H - B + 16}" text-anchor="middle">${fmt(t)}</text>`;
    }
    svg += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`;
    svg += `<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`;
    if (opts.xLabel) { svg += `<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">${esc(opts.xLabel)}</text>`; }
    if (opts.yLabel) { svg += `<text x="12" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 12 ${(T + H - B) / 2})">${esc(opts.yLabel)}</text>`; }
    series.forEach((s, i) => {
      const color = s.color || PALETTE[i % PALETTE.length];
      const p = s.points.filter(q => q[1] !== null && q[1] !== undefined && !Number.isNaN(q[1]));
      if (!p.length) { return; }
      const d = p.map((q, j) => `${j ? "L" : "M"}${sx(q[0]).toFixed(1)},${sy(q[1]).toFixed(1)}`).join(" ");
      svg += `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ""}/>`;
      for (const q of p) {
        svg += `<circle cx="${sx(q[0]).toFixed(1)}" cy="${sy(q[1]).toFixed(1)}" r="3" fill="${color}"><title>${esc(s.name)}: ${fmt(q[0])}, ${fmt(q[1], opts.percent)}</title></circle>`;
      }
    });
    svg += "</svg>";
    const legend = series.map((s, i) => `<span style="--c:${s.color || PALETTE[i % PALETTE.length]}">${esc(s.name)}</span>`).join("");
    return svg + `<div class="legend">${legend}</div>`;
  }

  /** Horizontal bars of values in [0, 1] (NaN / null drawn as "–"). */
  function bars(labels, values, opts = {}) {
    const W = opts.width || 420, row = 20, L = 90, R = 44;
    const H = labels.length * row + 6;
    let svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img">`;
    labels.forEach((name, i) => {
      // a class without test images has no accuracy: null, or "NaN" as some JSON writers put it
      const v = values[i] === null || values[i] === undefined ? NaN : Number(values[i]);
      const y = 3 + i * row;
      svg += `<text x="${L - 6}" y="${y + 13}" text-anchor="end">${esc(name)}</text>`;
      svg += `<rect x="${L}" y="${y + 2}" width="${W - L - R}" height="${row - 6}" fill="#eceff4" rx="3"/>`;
      if (!Number.isNaN(v)) {
        svg += `<rect x="${L}" y="${y + 2}" width="${((W - L - R) * Math.max(0, Math.min(1, v))).toFixed(1)}" height="${row - 6}" fill="${PALETTE[0]}" rx="3"/>`;
        svg += `<text x="${W - R + 4}" y="${y + 13}">${Math.round(v * 100)}%</text>`;
      } else {
        svg += `<text x="${W - R + 4}" y="${y + 13}">–</text>`;
      }
    });
    return svg + "</svg>";
  }

  return { line, bars, esc, PALETTE };
})();
