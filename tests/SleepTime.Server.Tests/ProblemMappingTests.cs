using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace SleepTime.Server.Tests;

/// <summary>Every error SleepTime raises on purpose is a 4xx problem, whichever project raises it.</summary>
public sealed class ProblemMappingTests
{
    public static TheoryData<Type> EveryDeliberateError()
    {
        var assemblies = new[]
        {
            typeof(SleepTimeException).Assembly,
            typeof(SleepTime.Agents.PrimaryAgent).Assembly,
            typeof(SleepTime.Storage.RunStore).Assembly,
            typeof(ProblemExceptionHandler).Assembly,
        };
        var data = new TheoryData<Type>();
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(t => typeof(SleepTimeException).IsAssignableFrom(t) && !t.IsAbstract))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryDeliberateError))]
    public async Task Is_answered_with_a_4xx_problem(Type errorType)
    {
        var error = (Exception)RuntimeHelpers.GetUninitializedObject(errorType);

        var status = await HandleAsync(error);

        Assert.InRange(status, 400, 499);
    }

    [Fact]
    public async Task Specific_errors_keep_their_meaning()
    {
        Assert.Equal(404, await HandleAsync(new SleepTime.BlockNotFoundException("b1")));
        Assert.Equal(404, await HandleAsync(new ContextNotFoundException("c1")));
        Assert.Equal(409, await HandleAsync(new SleepTime.ChangeSetStateException("cs1", SleepTime.ChangeSetStatus.Committed, "already committed")));
        Assert.Equal(400, await HandleAsync(new SleepTimeValidationException("field", "bad")));
    }

    [Fact]
    public async Task A_bug_is_still_a_500()
    {
        Assert.Equal(500, await HandleAsync(new NullReferenceException()));
    }

    private static async Task<int> HandleAsync(Exception error)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails()
            .AddSingleton<IHostApplicationLifetime, RunningLifetime>()
            .BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();

        Assert.True(await new ProblemExceptionHandler(NullLogger<ProblemExceptionHandler>.Instance).TryHandleAsync(context, error, CancellationToken.None));

        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        return context.Response.StatusCode;
    }

    private sealed class RunningLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
