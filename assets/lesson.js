/*
 * The lesson line at the end of a race: the landscape's lesson; how often it held in the
 * lesson's races for these settings, counted by the server one chunk per request
 * (app/lesson_data.py: seeds 0–29 whatever this race's seed, so it is counted once per
 * settings, not per seed); and, beside the summary (which says what this race said of the
 * lesson: the view's lesson_check), a Many seeds button when the race did not bear it out.
 * Every sentence is the server's (app/lessons.py).
 * race-player.js calls onView when a race arrives and show when it finishes.
 */
(function () {
  'use strict';

  var el = window.hpoDom.el;
  var noUpdate = window.hpoDom.noUpdate;
  var setProps = window.hpoDom.setProps;
  var stableJson = window.hpoDom.stableJson;

  var L = {view: null, key: null, answer: null, nonce: 0, timer: 0};

  // The race settings the view echoes, as a request (race-request.js, loaded after this file).
  function requestFor(v) {
    return window.hpoRace.request.viewSettings(v);
  }

  // The lesson's races leave the race's own seed out: another seed keeps the count.
  function lessonKey(v) {
    var r = requestFor(v);
    delete r.seed;
    return stableJson(r);
  }

  function ask() {
    if (!L.view) return;
    L.nonce += 1;
    var request = requestFor(L.view);
    request.nonce = 'lesson-' + L.nonce;
    setProps('lesson-request', {data: request});
  }

  function onView(v) {
    L.view = v;
    var key = v.lesson_claim && !v.lesson_missing ? lessonKey(v) : null;
    if (key === L.key) return; // the same lesson: its count stands (or goes on)
    clearTimeout(L.timer);
    L.key = key;
    L.answer = null;
    if (key) ask();
  }

  function countLine() {
    var a = L.answer;
    if (a && a.state === 'done') return a.sentence;
    if (a && a.state === 'failed') return a.error;
    if (a && a.state === 'counting') {
      return 'Counting how often it holds with these settings: ' + a.done + ' of ' + a.total +
        ' races…';
    }
    return 'Counting how often it holds with these settings…';
  }

  function text() {
    var v = L.view;
    if (!v) return '';
    var parts = [v.lesson];
    if (v.lesson_missing) parts.push(v.lesson_missing);
    else if (v.lesson_claim) parts.push(countLine());
    return parts.filter(Boolean).join(' ');
  }

  // The lesson line and the Many seeds offer (CSS shows both only once a race finished).
  function show() {
    var span = el('lesson');
    if (!span) return;
    var v = L.view;
    var line = text();
    span.textContent = line;
    span.title = line;
    var offer = el('lesson-many');
    if (offer) offer.hidden = !(v && v.lesson_check && v.lesson_check.outcome !== 'holds');
  }

  function answer(data) {
    if (!data || data.nonce !== 'lesson-' + L.nonce) return noUpdate(); // an older count
    if (!data.ok) {
      L.answer = {state: 'failed', error: data.error};
    } else {
      L.answer = data;
      if (data.state === 'counting') L.timer = setTimeout(ask, 1000 * (data.retry || 0));
    }
    var R = window.hpoRace;
    if (R && R.finished) show();
    return noUpdate();
  }

  // Many seeds: the side card's other tab, scrolled into view (a phone shows one card).
  function many() {
    setProps('side-tab', {value: 'many'});
    var card = document.querySelector('.side');
    if (card && card.scrollIntoView) card.scrollIntoView({block: 'nearest'});
    return noUpdate();
  }

  window.hpoLesson = {onView: onView, show: show, state: L};
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.hpoLesson = {answer: answer, many: many};
})();
