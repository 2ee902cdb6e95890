using System.Text.Json;
using System.Text.Json.Nodes;

namespace SleepTime;

/// <summary>
/// A codebase as a context (<see cref="ContextKind.Codebase"/>) in any context store: each entry is either a revision
/// (<c>{"codebase":{"path":…,"commit":…}}</c>: the repository moved to a new commit) or a related document (a pull
/// request in the SWE-Features shape, <c>{"title","body","changed_files":[{"filename","status","patch"}]}</c>, or
/// plain text). A learned context's source version is the watermark: the revision in force at that version is the
/// commit it was written for, and the documents after it are the ones not yet studied. A directory has no commits: its
/// revisions carry the files' hashes (<see cref="CodebaseManifest"/>), and <see cref="RefreshAsync"/> gives a new one when
/// the files on disk changed.
/// </summary>
public static class CodebaseContext
{
    private const string RevisionKey = "codebase";

    public static ContextInput Revision(CodebaseRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var json = new JsonObject { ["path"] = revision.Path, ["commit"] = revision.Commit };
        if (revision.Files is { } files)
        {
            var hashes = new JsonObject();
            foreach (var (path, hash) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                hashes[path] = hash;
            }

            json["files"] = hashes;
        }

        return ContextInput.Document(new JsonObject { [RevisionKey] = json }.ToJsonString());
    }

    public static ContextInput Document(CodebaseDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var files = new JsonArray([.. document.ChangedFiles.Select(f => (JsonNode)new JsonObject { ["filename"] = f.Path, ["status"] = f.Status, ["patch"] = f.Patch })]);
        return ContextInput.Document(new JsonObject { ["title"] = document.Title, ["body"] = document.Body, ["changed_files"] = files }.ToJsonString());
    }

    /// <summary>The revision in force at <paramref name="version"/> (the latest when null), or null when the context names none.</summary>
    public static CodebaseRevision? RevisionAt(ContextSnapshot context, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Entries.Where(e => version is null || e.Version <= version).Select(e => AsRevision(e.Text)).LastOrDefault(r => r is not null);
    }

    /// <summary>
    /// What a directory context's files were at <paramref name="version"/> (the latest when null): its directory revisions
    /// folded in order. Null when the revision in force is a commit, or a directory revision with no manifest.
    /// </summary>
    public static CodebaseManifest? ManifestAt(ContextSnapshot context, long? version = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Folded into one dictionary: a long-lived context has many revisions of a few files each.
        Dictionary<string, string>? files = null;
        CodebaseRevision? last = null;
        foreach (var revision in context.Entries.Where(e => version is null || e.Version <= version).Select(e => AsRevision(e.Text)).OfType<CodebaseRevision>())
        {
            if (revision.Commit is not null || revision.Files is null)
            {
                files = null;
            }
            else
            {
                if (files is null || last is not { Commit: null } || last.Path != revision.Path)
                {
                    files = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                foreach (var (path, hash) in revision.Files)
                {
                    if (hash is null)
                    {
                        files.Remove(path);
                    }
                    else
                    {
                        files[path] = hash;
                    }
                }
            }

            last = revision;
        }

        return files is null ? null : CodebaseManifest.Of(files);
    }

    /// <summary>
    /// The revision of <paramref name="path"/> as <paramref name="codebase"/> reads it: at its commit, or for a directory
    /// with every file's hash.
    /// </summary>
    public static async Task<CodebaseRevision> RevisionOfAsync(string path, Codebase codebase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(codebase);
        return new CodebaseRevision(path, codebase.Commit, codebase.Commit is null ? Whole(await CodebaseManifest.ReadAsync(codebase, cancellationToken).ConfigureAwait(false)) : null);
    }

    /// <summary>
    /// For a context reading a directory on disk: the files as they are now, and the revision to append to record them;
    /// null when nothing changed since the revision in force, or the context reads a commit (which only a move changes).
    /// </summary>
    public static async Task<(ContextInput Revision, CodebaseManifest Files)?> RefreshAsync(ContextSnapshot context, CodebaseRoot root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (RevisionAt(context) is not { Commit: null } latest)
        {
            return null;
        }

        var current = await CodebaseManifest.ReadAsync(await root.OpenAsync(latest, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var before = ManifestAt(context);
        if (before is not null && current.ChangesSince(before).Count == 0)
        {
            return null;
        }

        return (Revision(latest with { Files = current.DeltaFrom(before ?? CodebaseManifest.Empty) }), current);
    }

    /// <summary>
    /// The content to start a directory context over with when its revisions have filled it: one revision holding
    /// every file as <paramref name="current"/> has them, then the related documents, in order.
    /// </summary>
    public static IReadOnlyList<ContextInput> Compacted(ContextSnapshot context, CodebaseManifest current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var latest = RevisionAt(context) ?? throw new SleepTimeValidationException("codebase", $"Context '{context.Id}' names no repository.");
        return [Revision(latest with { Files = Whole(current) }), .. context.Entries.Where(e => !IsRevision(e.Text)).Select(e => ContextInput.Document(e.Text))];
    }

    /// <summary>The related documents added after <paramref name="version"/>, in order.</summary>
    public static IReadOnlyList<CodebaseDocument> DocumentsAfter(ContextSnapshot context, long version)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Entries.Where(e => e.Version > version && AsRevision(e.Text) is null).Select(e => AsDocument(e.Text)).ToList();
    }

    /// <summary>What the next sleep reads: the latest revision opened with <paramref name="open"/>, the documents after the watermark, and the commit the learned context was written for.</summary>
    public static async Task<CodebaseSleepInput> SleepInputAsync(ContextSnapshot context, LearnedContext? previous, CodebaseRoot root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var latest = RevisionAt(context) ?? throw new SleepTimeValidationException("codebase", $"Context '{context.Id}' names no repository.");
        var codebase = await root.OpenAsync(latest, cancellationToken).ConfigureAwait(false);
        // Only a context that stayed the same repository can be brought up to date from a diff: a replace starts over.
        var watermark = previous is not null && context.CanExtend(previous.Provenance.SourceVersion) ? previous.Provenance.SourceVersion : (long?)null;
        var before = watermark is { } w ? RevisionAt(context, w) : null;
        var previousCommit = before is not null && before.Path == latest.Path ? before.Commit : null;
        var documents = DocumentsAfter(context, watermark ?? 0);
        IReadOnlyList<CodebaseChange>? directoryChanges = null;
        var exploreAgain = previous is not null && watermark is null;
        if (latest.Commit is null && before is { Commit: null } && before.Path == latest.Path)
        {
            var then = ManifestAt(context, watermark);
            var now = ManifestAt(context);
            directoryChanges = then is not null && now is not null ? now.ChangesSince(then) : null;
            exploreAgain = directoryChanges is null && context.Entries.Any(e => e.Version > watermark && AsRevision(e.Text) is not null);
        }

        return new CodebaseSleepInput(context.Id, context.Version, codebase, documents, previousCommit, directoryChanges, exploreAgain);
    }

    /// <summary>Checks content for a codebase context: every revision names a path, and every document is non-empty.</summary>
    public static void Validate(IReadOnlyList<ContextInput> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (var item in content)
        {
            if (item?.Text is null || item.Role is not null)
            {
                throw new SleepTimeValidationException("content", "Codebase content is revisions and documents, without roles.");
            }

            if (!IsRevision(item.Text))
            {
                continue;
            }

            var revision = AsRevision(item.Text)
                ?? throw new SleepTimeValidationException("content", "A codebase revision is {\"codebase\":{\"path\":…,\"commit\":… or null,\"files\":{path: hash or null}}}.");
            if (string.IsNullOrWhiteSpace(revision.Path))
            {
                throw new SleepTimeValidationException("path", "A codebase revision needs the repository's path.");
            }
        }
    }

    /// <summary>A revision's files that hold every file of <paramref name="manifest"/> (a delta from nothing).</summary>
    private static IReadOnlyDictionary<string, string?> Whole(CodebaseManifest manifest) => manifest.DeltaFrom(CodebaseManifest.Empty);

    private static bool IsRevision(string text) => text.StartsWith("{\"" + RevisionKey + "\"", StringComparison.Ordinal);

    private static CodebaseRevision? AsRevision(string text)
    {
        if (!IsRevision(text))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(text)?[RevisionKey];
            if (node is not JsonObject revision)
            {
                return null;
            }

            var files = revision["files"] is JsonObject hashes
                ? hashes.ToDictionary(h => h.Key, h => h.Value?.GetValue<string>(), StringComparer.Ordinal)
                : null;
            return new CodebaseRevision(revision["path"]?.GetValue<string>() ?? string.Empty, revision["commit"]?.GetValue<string>(), files);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static CodebaseDocument AsDocument(string text)
    {
        try
        {
            if (text.TrimStart().StartsWith('{') && JsonNode.Parse(text) is JsonObject json && json["title"] is JsonValue title)
            {
                var files = (json["changed_files"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(f => new CodebaseChange(f["status"]?.GetValue<string>() ?? CodebaseChange.Modified, f["filename"]?.GetValue<string>() ?? string.Empty, f["patch"]?.GetValue<string>() ?? string.Empty))
                    .Where(f => f.Path.Length > 0)
                    .ToList();
                return new CodebaseDocument(title.GetValue<string>(), json["body"]?.GetValue<string>() ?? string.Empty, files);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
        }

        var lines = text.Trim().Split('\n', 2);
        return CodebaseDocument.Note(lines[0].Trim(), lines.Length > 1 ? lines[1] : string.Empty);
    }
}
