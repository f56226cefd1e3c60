// Starts Swagger UI on /openapi.json (a file, not inline, so the page's CSP allows no inline script).
window.addEventListener('load', () => {
  window.ui = window.SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', deepLinking: true, presets: [window.SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });
});
