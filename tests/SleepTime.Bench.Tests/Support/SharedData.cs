namespace SleepTime.Bench.Tests.Support;

/// <summary>Finds ../shared/data beside the repository (never committed; absent in a fresh clone).</summary>
internal static class SharedData
{
    public static string? Folder { get; } = Locate();

    public static string? File(string relative)
    {
        var path = Folder is null ? null : Path.Combine(Folder, relative);
        return path is not null && System.IO.File.Exists(path) ? path : null;
    }

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SleepTime.slnx")))
            {
                var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(data) ? data : null;
            }
        }

        return null;
    }
}

/// <summary>A fact that runs only when a file under ../shared/data exists, and says so when it is skipped.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (SharedData.File(relativePath) is null)
        {
            Skip = $"../shared/data/{relativePath} is absent (it is never committed); this test reads real rows from it.";
        }
    }
}
