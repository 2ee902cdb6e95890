namespace SleepTime.Bench.Codebases;

/// <summary>
/// The project's own fixture as a SWE-Features data set: its feature requests as instances (modified files with a
/// short patch, added files marked added) and its history of feature commits as related pull requests.
/// </summary>
public static class FixtureDataset
{
    public const string Repo = "fixture/shop";

    /// <summary>The folder the fixture must be in under a repos root so that <see cref="Repo"/> finds it.</summary>
    public const string Folder = "fixture__shop";

    public static IReadOnlyList<SweFeaturesInstance> Instances(CodebaseFixture fixture) =>
        fixture.Requests.Select(r => new SweFeaturesInstance(Repo, r.Number, r.Title, r.Body,
            [.. r.ModifiedFiles.Select(f => new SweFeaturesFile(f, CodebaseChange.Modified, "@@ (change for: " + r.Title + ")")), .. r.AddedFiles.Select(f => new SweFeaturesFile(f, CodebaseChange.Added, "@@ new file"))],
            fixture.BaseCommit)).ToList();

    public static IReadOnlyList<SweFeaturesInstance> Related(CodebaseFixture fixture) =>
        fixture.PullRequests.Select((p, i) => new SweFeaturesInstance(Repo, i + 1, p.Title, p.Body,
            p.ChangedFiles.Select(f => new SweFeaturesFile(f.Path, f.Status, f.Patch)).ToList(), null)).ToList();

    /// <summary>Writes the fixture repository under <c>ROOT/fixture__shop</c> and its data set as <c>ROOT/swe-features.jsonl</c> and <c>ROOT/related.jsonl</c>.</summary>
    public static async Task<(CodebaseFixture Fixture, string Data, string Related)> WriteAsync(string root, int fillerFiles = 0, CancellationToken cancellationToken = default)
    {
        var fixture = await CodebaseFixture.CreateAsync(Path.Combine(root, Folder), fillerFiles, cancellationToken).ConfigureAwait(false);
        var data = Path.Combine(root, "swe-features.jsonl");
        var related = Path.Combine(root, "related.jsonl");
        SweFeaturesReader.Write(data, Instances(fixture));
        SweFeaturesReader.Write(related, Related(fixture));
        return (fixture, data, related);
    }
}
