// msa-batch report.html: reads the JSON the page carries, draws the charts (Chart.js) and runs the records table.
// Everything is in the page; nothing is fetched.
(function () {
  'use strict';
  var F = {LINE: 0, ID: 1, STATUS: 2, JOB: 3, FILE: 4, ORIGIN: 5, NSEQ: 6, NEFF: 7, ESTIMATED: 8, COV_MEAN: 9,
    COV_MIN: 10, WARNING: 11, ERROR: 12, PICTURE: 13};
  var PAGE = 50; // records per page; the reader can change it
  var PICTURES_PER_PAGE = 4;

  function json(el) { return JSON.parse(el.textContent); }
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function fmt(v, places) { return v === null || v === undefined ? '' : Number(v).toFixed(places); }
  function identityColour(v) { return 'hsl(' + Math.round(270 * v) + ',90%,50%)'; } // ColabFold's rainbow_r: red low, violet high

  var meta = json($('report-meta'));
  var rows = [];
  document.querySelectorAll('script.report-rows').forEach(function (s) { Array.prototype.push.apply(rows, json(s)); });
  var pictures = {};
  document.querySelectorAll('script.report-picture').forEach(function (s) { var p = json(s); pictures[p.row] = p.picture; });
  var pictureRows = Object.keys(pictures).map(Number).sort(function (a, b) { return a - b; });

  // ---- summary figures that are known only at the end of the rows
  $('count-query-only').textContent = meta.warnings['query-only'] || 0;
  $('count-shallow').textContent = meta.warnings.shallow || 0;
  $('count-msas').textContent = meta.msas;

  // ---- histograms
  function histogram(canvasId, h, xTitle) {
    new Chart($(canvasId), {
      type: 'bar',
      data: {labels: h.labels, datasets: [{label: 'MSAs', data: h.counts,
        backgroundColor: h.flagged.map(function (f) { return f ? '#e8590c' : '#1c7ed6'; })}]},
      options: {animation: false, responsive: true, maintainAspectRatio: false,
        plugins: {legend: {display: false}, title: {display: true, text: h.title}},
        scales: {x: {title: {display: true, text: xTitle}}, y: {beginAtZero: true, title: {display: true, text: 'MSAs'},
          ticks: {precision: 0}}}}
    });
  }
  histogram('chart-depth', meta.depth, 'sequences in the MSA (query included)');
  histogram('chart-neff', meta.neff, 'Neff (80% identity)');

  // ---- records table: filter, sort, page
  var statusSelect = $('filter-status');
  Object.keys(meta.statuses).sort().forEach(function (s) {
    var o = el('option', s + ' (' + meta.statuses[s] + ')'); o.value = s; statusSelect.appendChild(o);
  });
  var view = [];
  var sortField = F.LINE, sortDir = 1, page = 0;

  function matches(r, status, warning, text) {
    if (status && r[F.STATUS] !== status) { return false; }
    if (warning === 'any' && !r[F.WARNING]) { return false; }
    if (warning === 'none' && r[F.WARNING]) { return false; }
    if (warning && warning !== 'any' && warning !== 'none' && r[F.WARNING] !== warning) { return false; }
    return !text || String(r[F.ID]).toLowerCase().indexOf(text) >= 0;
  }
  function compare(a, b) {
    var x = a[sortField], y = b[sortField];
    if (x === y) { return a[F.LINE] - b[F.LINE]; }
    if (x === null || x === undefined || x === '') { return 1; }   // empty cells last, whatever the direction
    if (y === null || y === undefined || y === '') { return -1; }
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sortDir;
  }
  function refresh() {
    var status = statusSelect.value, warning = $('filter-warning').value, text = $('filter-id').value.trim().toLowerCase();
    view = rows.filter(function (r) { return matches(r, status, warning, text); });
    view.sort(compare);
    page = 0;
    renderTable();
  }
  function fileLink(path, label) {
    var a = el('a', label);
    a.href = path.split('/').map(encodeURIComponent).join('/');
    return a;
  }
  function renderTable() {
    var body = $('records-body');
    body.textContent = '';
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    page = Math.min(page, pages - 1);
    view.slice(page * PAGE, page * PAGE + PAGE).forEach(function (r) {
      var tr = el('tr');
      tr.className = 'status-' + String(r[F.STATUS]).toLowerCase() + (r[F.WARNING] ? ' warned' : '');
      tr.appendChild(el('td', r[F.LINE], 'num'));
      var id = el('td');
      id.appendChild(r[F.FILE] ? fileLink(r[F.FILE], r[F.ID]) : document.createTextNode(r[F.ID]));
      tr.appendChild(id);
      tr.appendChild(el('td', r[F.STATUS]));
      tr.appendChild(el('td', r[F.ORIGIN]));
      tr.appendChild(el('td', r[F.NSEQ], 'num'));
      tr.appendChild(el('td', r[F.NEFF] === null ? '' : fmt(r[F.NEFF], 1) + (r[F.ESTIMATED] ? '*' : ''), 'num'));
      tr.appendChild(el('td', fmt(r[F.COV_MEAN], 2), 'num'));
      tr.appendChild(el('td', fmt(r[F.COV_MIN], 2), 'num'));
      var w = el('td', r[F.WARNING]);
      if (r[F.WARNING]) { w.className = 'warning'; }
      tr.appendChild(w);
      var pic = el('td');
      if (r[F.PICTURE] >= 0) {
        var b = el('button', 'show'); b.type = 'button';
        b.addEventListener('click', function () { showPictureOf(r[F.PICTURE]); });
        pic.appendChild(b);
      }
      tr.appendChild(pic);
      tr.appendChild(el('td', r[F.JOB], 'mono'));
      tr.appendChild(el('td', r[F.ERROR], 'error'));
      body.appendChild(tr);
    });
    $('records-shown').textContent = view.length === 0 ? 'no records match'
      : 'records ' + (page * PAGE + 1) + '–' + Math.min(view.length, page * PAGE + PAGE) + ' of ' + view.length
        + (view.length !== rows.length ? ' (filtered from ' + rows.length + ')' : '');
    $('page-label').textContent = 'page ' + (page + 1) + ' of ' + pages;
    $('page-prev').disabled = page === 0;
    $('page-next').disabled = page >= pages - 1;
    document.querySelectorAll('#records thead th[data-field]').forEach(function (th) {
      th.classList.toggle('sorted-asc', Number(th.dataset.field) === sortField && sortDir === 1);
      th.classList.toggle('sorted-desc', Number(th.dataset.field) === sortField && sortDir === -1);
    });
  }
  document.querySelectorAll('#records thead th[data-field]').forEach(function (th) {
    th.addEventListener('click', function () {
      var f = Number(th.dataset.field);
      sortDir = f === sortField ? -sortDir : 1;
      sortField = f;
      view.sort(compare);
      renderTable();
    });
  });
  ['filter-status', 'filter-warning'].forEach(function (id) { $(id).addEventListener('change', refresh); });
  $('filter-id').addEventListener('input', refresh);
  $('page-size').addEventListener('change', function () { PAGE = Number($('page-size').value); page = 0; renderTable(); });
  $('page-prev').addEventListener('click', function () { page--; renderTable(); });
  $('page-next').addEventListener('click', function () { page++; renderTable(); });

  // ---- coverage pictures, a page of them at a time
  var drawn = [];
  var picturePage = 0;
  function coverageChart(canvas, pic) {
    var drawnRows = pic.id.length;
    var rowHeight = pic.n / drawnRows, binWidth = pic.len / pic.bins;
    var raw = atob(pic.rows), bytesPerRow = (pic.bins + 7) >> 3, cells = [];
    for (var r = 0; r < drawnRows; r++) {
      for (var b = 0; b < pic.bins; b++) {
        if (raw.charCodeAt(r * bytesPerRow + (b >> 3)) & (1 << (b & 7))) {
          // the highest identity at the bottom, as ColabFold draws it
          cells.push({x: (b + 0.5) * binWidth, y: (r + 0.5) * rowHeight, v: pic.id[r] / 1000});
        }
      }
    }
    var line = pic.cov.map(function (c, b) { return {x: (b + 0.5) * binWidth, y: c}; });
    return new Chart(canvas, {
      data: {datasets: [
        {type: 'line', label: 'coverage', data: line, borderColor: '#000', borderWidth: 1.5, pointRadius: 0, order: 1},
        {type: 'matrix', label: 'identity to query', data: cells, order: 2, borderWidth: 0,
          backgroundColor: function (ctx) { return ctx.raw ? identityColour(ctx.raw.v) : '#fff'; },
          width: function (ctx) { var a = ctx.chart.chartArea; return a ? a.width / pic.bins + 0.6 : 1; },
          height: function (ctx) { var a = ctx.chart.chartArea; return a ? a.height / drawnRows + 0.6 : 1; }}
      ]},
      options: {animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        plugins: {legend: {display: false},
          tooltip: {callbacks: {label: function (item) {
            return item.dataset.type === 'line'
              ? 'position ' + Math.round(item.raw.x) + ': ' + item.raw.y + ' sequences'
              : 'identity ' + (100 * item.raw.v).toFixed(0) + '%';
          }}}},
        scales: {x: {type: 'linear', offset: false, min: 0, max: pic.len, title: {display: true, text: 'Positions'}},
          y: {type: 'linear', offset: false, reverse: false, min: 0, max: pic.n, title: {display: true, text: 'Sequences'}}}}
    });
  }
  function renderPictures() {
    drawn.forEach(function (c) { c.destroy(); });
    drawn = [];
    var box = $('pictures-grid');
    box.textContent = '';
    var pages = Math.max(1, Math.ceil(pictureRows.length / PICTURES_PER_PAGE));
    picturePage = Math.max(0, Math.min(picturePage, pages - 1));
    pictureRows.slice(picturePage * PICTURES_PER_PAGE, (picturePage + 1) * PICTURES_PER_PAGE).forEach(function (i) {
      var r = rows[i], pic = pictures[i];
      var card = el('figure', null, 'picture');
      card.id = 'picture-' + i;
      var caption = el('figcaption');
      caption.appendChild(r[F.FILE] ? fileLink(r[F.FILE], r[F.ID]) : document.createTextNode(r[F.ID]));
      caption.appendChild(document.createTextNode(' — ' + pic.n + ' sequences, Neff ' + fmt(r[F.NEFF], 1)
        + ', coverage ' + fmt(r[F.COV_MEAN], 2) + (r[F.WARNING] ? ' — ' + r[F.WARNING] : '')));
      card.appendChild(caption);
      var holder = el('div', null, 'picture-canvas');
      var canvas = el('canvas');
      holder.appendChild(canvas);
      card.appendChild(holder);
      box.appendChild(card);
      drawn.push(coverageChart(canvas, pic));
    });
    $('pictures-label').textContent = pictureRows.length === 0 ? 'no pictures in this report'
      : 'page ' + (picturePage + 1) + ' of ' + pages + ' (' + pictureRows.length + ' MSAs pictured)';
    $('pictures-prev').disabled = picturePage === 0;
    $('pictures-next').disabled = picturePage >= pages - 1;
  }
  function showPictureOf(rowIndex) {
    picturePage = Math.floor(pictureRows.indexOf(rowIndex) / PICTURES_PER_PAGE);
    renderPictures();
    $('picture-' + rowIndex).scrollIntoView();
  }
  $('pictures-prev').addEventListener('click', function () { picturePage--; renderPictures(); });
  $('pictures-next').addEventListener('click', function () { picturePage++; renderPictures(); });

  refresh();
  renderPictures();
  document.body.dataset.ready = 'true';
})();
