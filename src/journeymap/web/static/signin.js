// Keep the map address the reader asked for (its #fragment) through sign-in.
const form = document.querySelector("form");
if (form && window.location.hash) form.action = `/signin${window.location.hash}`;
