// doc-builder components (labbook-docbuilder): the PyTorch/TensorFlow switch and option tabs
// are radio buttons that CSS alone shows and hides, so they work with JavaScript off. This
// script remembers a choice across pages (localStorage) and applies it to every switch or
// tab group of the same name on the page.
(function () {
  'use strict';
  var KEY = 'labbook-docbuilder:';
  function get(k) { try { return localStorage.getItem(KEY + k); } catch (e) { return null; } }
  function set(k, v) { try { localStorage.setItem(KEY + k, v); } catch (e) { /* storage off */ } }
  function choose(inputs, value) {
    inputs.forEach(function (i) { if (i.value === value) i.checked = true; });
  }
  function switches() { return document.querySelectorAll('.hf-fw-switch input'); }
  function tabInputs(group) {
    return Array.prototype.filter.call(document.querySelectorAll('.hf-tabs > .hf-tab-pair > .hf-tab-label > input'), function (i) {
      return i.closest('.hf-tabs').getAttribute('data-group') === group;
    });
  }
  function restore() {
    var fw = get('fw');
    if (fw) choose(switches(), fw);
    document.querySelectorAll('.hf-tabs').forEach(function (g) {
      var group = g.getAttribute('data-group');
      var v = get('tab:' + group);
      if (v) choose(tabInputs(group), v);
    });
  }
  document.addEventListener('change', function (e) {
    var t = e.target;
    if (!(t instanceof HTMLInputElement)) return;
    if (t.closest('.hf-fw-switch')) {
      set('fw', t.value);
      choose(switches(), t.value);
    } else if (t.parentElement && t.parentElement.classList.contains('hf-tab-label')) {
      var group = t.closest('.hf-tabs').getAttribute('data-group');
      set('tab:' + group, t.value);
      choose(tabInputs(group), t.value);
    }
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', restore);
  else restore();
})();
