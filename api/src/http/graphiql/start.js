// Starts GraphiQL against this server: queries and mutations go to POST /graphql,
// subscriptions to /graphql/ws (graphql-transport-ws). To act as someone, put
// {"Authorization": "Bearer <access token or API key>"} in the Headers tab; the socket
// receives the same headers as its connection_init payload.
(function () {
  var http = new URL('/graphql', window.location.href);
  var ws = new URL('/graphql/ws', window.location.href);
  ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({
    url: http.toString(),
    subscriptionUrl: ws.toString(),
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
