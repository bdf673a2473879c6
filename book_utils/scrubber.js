// The static scrubber of one explorable (book_utils.explore): no kernel, no network.
// Each control carries its grid in data-values; the frame is the row-major index of
// the positions of all controls (a range input's value, or a fieldset's checked radio).
// data: f = the distinct frames, i = frame index per position, d = description per position.
(function(){
var r=document.getElementById('UID'),d=JSON.parse(r.querySelector('.lfm-frames').textContent),
img=r.querySelector('.lfm-view img'),box=r.querySelector('.lfm-html'),
say=r.querySelector('.lfm-desc'),cs=Array.prototype.slice.call(r.querySelectorAll('[data-values]'));
function pos(e){return Number(e.tagName==='FIELDSET'?
e.querySelector('input:checked').value:e.value);}
function show(){var i=0;cs.forEach(function(e){var v=JSON.parse(e.dataset.values),k=pos(e);
i=i*v.length+k;if(e.tagName!=='FIELDSET'){
e.setAttribute('aria-valuetext',e.dataset.label+' = '+v[k]);
e.nextElementSibling.textContent=v[k];}});
var f=d.f[d.i[i]];if(img){img.src='data:image/png;base64,'+f;
img.alt=(img.dataset.alt+' '+d.d[i]).trim();}else{box.innerHTML=f;}
say.textContent=d.d[i];r.dataset.frame=i;}
cs.forEach(function(e){e.addEventListener('input',show);e.addEventListener('change',show);});
})();
