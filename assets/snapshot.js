/*
 * The PNG of a whole panel. A panel is a stack of graphs (landscape behind, probes in front):
 * its toolbar's camera would photograph only the front layer. For the moment of the click,
 * the front graph holds the landscape's traces and axes too, so the PNG shows the panel as
 * it looks.
 */
(function () {
  'use strict';

  var C = window.hpoClassroom;
  var el = window.hpoDom.el;
  var root = window.hpoDom.root;

  function panelSnapshot(e) {
    var btn = e.target.closest && e.target.closest('.modebar-btn');
    if (!btn) return;
    var title = (btn.getAttribute('data-title') || '').toLowerCase();
    if (title.indexOf('png') < 0) return;
    var host = btn.closest('.layer-probes');
    var front = host && host.querySelector('.js-plotly-plot');
    if (!front || !host.id) return;
    var back = el(host.id.replace('panel-', 'landscape-'));
    var bg = back && back.querySelector('.js-plotly-plot');
    if (!bg || !bg.data) return;
    var r = root();
    var revealed = r && r.getAttribute('data-revealed') === 'true';
    var saved = {data: front.data, layout: front.layout};
    var layout = JSON.parse(JSON.stringify(bg.layout));
    layout.paper_bgcolor = C.theme === 'dark' ? '#1b2230' : '#ffffff';
    var data = (revealed ? bg.data.slice() : []).concat(front.data);
    if (!revealed) layout.plot_bgcolor = '#2a303c';
    front.data = data;
    front.layout = layout;
    var restore = function () {
      if (front.data === data) {
        front.data = saved.data;
        front.layout = saved.layout;
      }
    };
    setTimeout(restore, 0);
    document.addEventListener('click', restore, {once: true});
  }

  // capture: before plotly's own click handler on the camera button copies the graph
  document.addEventListener('click', function (e) {
    if (e.target && e.target.closest) panelSnapshot(e);
  }, true);
})();
