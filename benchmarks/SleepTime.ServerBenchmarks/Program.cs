using SleepTime.ServerBenchmarks;

// Usage: dotnet run -c Release --project benchmarks/SleepTime.ServerBenchmarks -- <scenario> [options]
//   query    [--ops 20000] [--clients 1,16,64]
//   burst    [--contexts 10000] [--concurrency 4] [--debounce 0] [--agents 0]
//   debounce [--changes 100] [--debounce 5]
//   memory   [--contexts 100000]
//   host     (internal: the server child process)
if (args.Length > 0 && args[0] == "host")
{
    return await BenchmarkHost.RunAsync(args[1..]);
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, "--" + name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var inv = System.Globalization.CultureInfo.InvariantCulture;
Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start.");
switch (args.FirstOrDefault())
{
    case "query":
        await Scenarios.QueryPathAsync(Option("clients", "1,16,64").Split(',').Select(int.Parse).ToArray(), int.Parse(Option("ops", "20000"), inv));
        break;
    case "burst":
        await Scenarios.BurstAsync(int.Parse(Option("contexts", "10000"), inv), int.Parse(Option("concurrency", "4"), inv), double.Parse(Option("debounce", "0"), inv), int.Parse(Option("agents", "0"), inv));
        break;
    case "debounce":
        await Scenarios.DebounceAsync(int.Parse(Option("changes", "100"), inv), double.Parse(Option("debounce", "5"), inv));
        break;
    case "memory":
        await Scenarios.MemoryAsync(int.Parse(Option("contexts", "100000"), inv));
        break;
    default:
        Console.Error.WriteLine("Scenarios: query, burst, debounce, memory (see Program.cs for options).");
        return 2;
}

Console.WriteLine($"Load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end.");
return 0;
