namespace SleepTime.Tests.Codebases;

public sealed class CodebaseToolsTests
{
    public static TheoryData<bool, string, string> Escapes()
    {
        var data = new TheoryData<bool, string, string>();
        foreach (var atCommit in new[] { true, false })
        {
            foreach (var path in new[] { "../secret.txt", "app/../../secret.txt", "/etc/passwd", "leak.txt", "absolute.txt", "outside/secret.txt", ".git/config" })
            {
                foreach (var tool in new[] { CodebaseTools.ListFiles, CodebaseTools.ReadFile, CodebaseTools.SearchCode, CodebaseTools.GitLog, CodebaseTools.GitShow })
                {
                    data.Add(atCommit, tool, path);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Every_tool_refuses_a_path_out_of_the_repository(bool atCommit, string tool, string path)
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var head = await dir.CommitSymlinksAsync();
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, atCommit ? head : null));
        object arguments = tool switch
        {
            CodebaseTools.SearchCode => new { pattern = "secret", path },
            CodebaseTools.GitShow => new { commit = head[..12], path },
            _ => new { path },
        };

        var result = await FixtureDirectory.InvokeAsync(tools, tool, arguments);

        Assert.StartsWith("Error: ", result, StringComparison.Ordinal);
        Assert.DoesNotContain(FixtureDirectory.Secret, result, StringComparison.Ordinal);
        Assert.Matches("outside the repository|absolute path|contains '..'|\\.git folder", result);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_symlink_that_stays_inside_is_followed(bool atCommit)
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var head = await dir.CommitSymlinksAsync();
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, atCommit ? head : null));

        var result = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ReadFile, new { path = "settings.py" });

        Assert.Contains("sender = \"shop@example.invalid\"", result, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reads_a_line_range_with_line_numbers(bool atCommit)
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, atCommit ? dir.Fixture.BaseCommit : null));

        var result = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ReadFile, new { path = "app/services/pricing.py", start_line = 2, end_line = 3 });

        Assert.Equal("app/services/pricing.py (lines 2-3 of 3):\n    2      \"\"\"Total of an order in cents.\"\"\"\n    3      return sum(product.price_cents * quantity for product, quantity in order.lines)", result);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Binary_and_huge_files_are_skipped_with_a_note(bool atCommit)
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var head = await dir.Fixture.CommitAsync("Add a big file", new Dictionary<string, string?> { ["data/big.txt"] = new string('x', 5_000) });
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, atCommit ? head : null, new CodebaseLimits { MaxFileBytes = 4_000 }));

        var binary = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ReadFile, new { path = "app/assets/logo.png" });
        var huge = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ReadFile, new { path = "data/big.txt" });
        var search = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.SearchCode, new { pattern = "xxxx|PNG" });

        Assert.Matches("^'app/assets/logo.png' is a binary file of [0-9]+ bytes; it is not shown\\.$", binary);
        Assert.Equal("'data/big.txt' is 5,000 bytes, over the limit of 4,000; it was not read. Search it with search_code instead.", huge);
        Assert.DoesNotContain("logo.png", search, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_a_folder_a_page_at_a_time()
    {
        await using var dir = await FixtureDirectory.CreateAsync(fillerFiles: 5);
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, dir.Fixture.BaseCommit, new CodebaseLimits { PageSize = 2 }));

        var first = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ListFiles, new { path = "lib" });
        var last = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ListFiles, new { path = "lib", page = 3 });
        var past = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ListFiles, new { path = "lib", page = 4 });

        Assert.StartsWith("5 files under 'lib', page 1 of 3:\nlib/pkg000/module00000.py (", first, StringComparison.Ordinal);
        Assert.Equal(3, first.Split('\n').Length);
        Assert.StartsWith("5 files under 'lib', page 3 of 3:\nlib/pkg000/module00004.py (", last, StringComparison.Ordinal);
        Assert.StartsWith("Error: there are 3 pages", past, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Search_results_are_bounded(bool atCommit)
    {
        await using var dir = await FixtureDirectory.CreateAsync(fillerFiles: 30);
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, atCommit ? dir.Fixture.BaseCommit : null, new CodebaseLimits { MaxSearchResults = 10 }));

        var result = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.SearchCode, new { pattern = "def helper_[0-9]+", path = "lib" });

        var lines = result.Split('\n');
        Assert.Equal(11, lines.Length);
        Assert.All(lines[..10], l => Assert.Matches("^lib/pkg000/module[0-9]{5}\\.py:4: def helper_[0-9]+\\(value\\):$", l));
        Assert.Equal("… [only the first 10 matches; narrow the pattern or the path]", lines[10]);
    }

    [Fact]
    public async Task Git_log_and_show_read_the_history_of_a_path_up_to_the_commit_only()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var later = await dir.Fixture.CommitAsync("A later change", new Dictionary<string, string?> { ["app/config.py"] = "class Settings:\n    pass\n" });
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, dir.Fixture.BaseCommit));

        var log = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.GitLog, new { path = "app/config.py" });
        var shown = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.GitShow, new { commit = dir.Fixture.BaseCommit[..10], path = "app/config.py" });
        var future = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.GitShow, new { commit = later });
        var option = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.GitShow, new { commit = "--output=/tmp/x" });

        Assert.Equal(2, log.Split('\n').Count(l => l.StartsWith("    ", StringComparison.Ordinal)));
        Assert.Contains("Send an email when an order is placed", log, StringComparison.Ordinal);
        Assert.DoesNotContain("A later change", log, StringComparison.Ordinal);
        Assert.Contains("+    sender = \"shop@example.invalid\"", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("app/routes/orders.py", shown, StringComparison.Ordinal);
        Assert.StartsWith("Error: The commit", future, StringComparison.Ordinal);
        Assert.Contains("not in the history", future, StringComparison.Ordinal);
        Assert.StartsWith("Error: '--output=/tmp/x' is not a commit id", option, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_repository_or_commit_is_a_clear_error()
    {
        await using var dir = await FixtureDirectory.CreateAsync();

        var missingRepo = await Assert.ThrowsAsync<CodebaseException>(() => Codebase.OpenAsync(Path.Combine(dir.Root, "nowhere"), "HEAD"));
        var missingCommit = await Assert.ThrowsAsync<CodebaseException>(() => Codebase.OpenAsync(dir.Repository, "0123456789abcdef0123456789abcdef01234567"));
        var notRepo = await Assert.ThrowsAsync<CodebaseException>(() => Codebase.OpenAsync(Path.Combine(dir.Repository, "app"), "HEAD"));

        Assert.Contains("does not exist or is not a directory", missingRepo.Message, StringComparison.Ordinal);
        Assert.Equal($"The commit '0123456789abcdef0123456789abcdef01234567' does not exist in '{dir.Repository}'.", missingCommit.Message);
        Assert.Contains("is not the top of a git repository", notRepo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spent_tool_budget_refuses_every_further_call()
    {
        await using var dir = await FixtureDirectory.CreateAsync();
        var tools = new CodebaseTools(await Codebase.OpenAsync(dir.Repository, dir.Fixture.BaseCommit), maxCalls: 2);

        await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ListFiles);
        await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ReadFile, new { path = "README.md" });
        var third = await FixtureDirectory.InvokeAsync(tools, CodebaseTools.ReadFile, new { path = "README.md" });

        Assert.True(tools.Spent);
        Assert.StartsWith("Error: the budget of 2 tool calls is spent", third, StringComparison.Ordinal);
    }
}
