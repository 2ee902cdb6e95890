using SleepTime.Server;

return await SleepTimeServer.RunAsync(args).ConfigureAwait(false);

/// <summary>The entry point, public so tests can host the server with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
