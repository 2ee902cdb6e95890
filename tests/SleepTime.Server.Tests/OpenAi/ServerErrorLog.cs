using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SleepTime.Server.Tests.OpenAi;

/// <summary>Keeps the server's error logs (with their exceptions), so a test that sees a 5xx can say why.</summary>
public sealed class ServerErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> errors = new();

    public IReadOnlyList<string> Errors => errors.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ServerErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.errors.Enqueue($"{category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
