// The interactive API page: Swagger UI over /api/openapi.json (no validator badge: it would call validator.swagger.io).
(function () {
  "use strict";
  window.wpgraphSwagger = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: false,
    presets: [SwaggerUIBundle.presets.apis]
  });
}());
