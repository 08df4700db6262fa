/* global document, location, setTimeout */
// The kiosk's ticket page goes back to the start after a minute, so the next person does not see it.
// (Script, not <meta refresh>: the button "Fertig" is the way back for everyone; this only tidies up.)
const back = document.querySelector('[data-return-after]');
if (back) setTimeout(() => location.assign(back.getAttribute('href')), Number(back.dataset.returnAfter) * 1000);
