using System.Text;

namespace SleepTime.Cli.Tests;

/// <summary>A text writer that may be read while a command still writes to it.</summary>
public sealed class SharedWriter : TextWriter
{
    private readonly StringBuilder text = new();
    private readonly Lock gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (gate)
        {
            text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (gate)
        {
            text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (gate)
        {
            text.Append(value).Append(NewLine);
        }
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override string ToString()
    {
        lock (gate)
        {
            return text.ToString();
        }
    }
}
