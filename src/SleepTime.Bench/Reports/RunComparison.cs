using SleepTime.Bench.Metrics;
using SleepTime.Bench.Running;
using SleepTime.Grading;

namespace SleepTime.Bench.Reports;

/// <summary>Pairs the arms two results folders share, question by question (<see cref="PairedComparison"/>).</summary>
public static class RunComparison
{
    public static IReadOnlyList<PairedComparison> Paired(string folderA, string folderB, GradingMode primary = GradingMode.Paper)
    {
        var a = Load(folderA);
        var b = Load(folderB).ToDictionary(x => x.Name, StringComparer.Ordinal);
        bool Correct(GradedQuestion q) => primary == GradingMode.Paper ? q.Paper : q.Numeric;
        return a.Where(x => b.ContainsKey(x.Name))
            .Select(x => PairedComparison.Of(x.Name, x.Questions, x.Name, b[x.Name].Questions, Correct))
            .ToList();
    }

    /// <summary>Whether a path is a results folder that can be paired (it has its configuration and results).</summary>
    public static bool IsResultsFolder(string path) =>
        Directory.Exists(path) && File.Exists(Path.Combine(path, RunConfiguration.FileName)) && File.Exists(Path.Combine(path, ResultsStore.FileName));

    private static IReadOnlyList<GradedArm> Load(string folder)
    {
        var configuration = RunConfiguration.TryLoad(folder) ?? throw new FileNotFoundException($"{folder} holds no {RunConfiguration.FileName}.");
        return RunAnalysis.Grade(configuration, ResultsStore.ReadAll(Path.Combine(folder, ResultsStore.FileName)));
    }
}
