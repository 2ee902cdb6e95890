using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SleepTime.Providers;

/// <summary>
/// The models of the two phases, bound from the configuration section <c>SleepTime:Models</c> (keys <c>Sleep</c> and
/// <c>Test</c>). When only one of the two is configured it serves both phases.
/// </summary>
public sealed class SleepTimeModelsOptions
{
    /// <summary>The configuration section: <c>SleepTime:Models</c>.</summary>
    public const string SectionName = "SleepTime:Models";

    /// <summary>The model of the sleep phase (builds learned contexts while idle).</summary>
    public ModelEndpointOptions Sleep { get; set; } = new();

    /// <summary>The model of the test phase (answers queries on a small budget).</summary>
    public ModelEndpointOptions Test { get; set; } = new();

    /// <summary>The endpoint of a role (<see cref="ModelRoles.Sleep"/> or <see cref="ModelRoles.Test"/>).</summary>
    public ModelEndpointOptions Get(string role) => role switch
    {
        ModelRoles.Sleep => Sleep,
        ModelRoles.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, $"Unknown model role; use ModelRoles.Sleep (\"{ModelRoles.Sleep}\") or ModelRoles.Test (\"{ModelRoles.Test}\")."),
    };

    /// <summary>Binds new options from <paramref name="configuration"/>'s <c>SleepTime:Models</c> section.</summary>
    public static SleepTimeModelsOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new SleepTimeModelsOptions();
        Bind(configuration, options);
        return options;
    }

    /// <summary>
    /// Binds <paramref name="options"/> from <paramref name="configuration"/>'s <c>SleepTime:Models</c> section;
    /// a missing <c>Sleep</c> or <c>Test</c> section is bound from the other one.
    /// </summary>
    public static void Bind(IConfiguration configuration, SleepTimeModelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var section = configuration.GetSection(SectionName);
        var sleep = section.GetSection(nameof(Sleep));
        var test = section.GetSection(nameof(Test));
        var sleepSource = sleep.Exists() ? sleep : test;
        var testSource = test.Exists() ? test : sleep;
        if (sleepSource.Exists())
        {
            sleepSource.Bind(options.Sleep);
        }

        if (testSource.Exists())
        {
            testSource.Bind(options.Test);
        }
    }

    /// <summary>Lists every problem with both endpoints; empty when both are usable.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        if (IsUnset(Sleep) && IsUnset(Test))
        {
            return [$"No model is configured: set {SectionName}:Sleep (and optionally {SectionName}:Test; one endpoint serves both phases), e.g. {SectionName}:Sleep:Provider and {SectionName}:Sleep:Model."];
        }

        return [.. Sleep.GetValidationErrors($"{SectionName}:Sleep"), .. Test.GetValidationErrors($"{SectionName}:Test")];
    }

    /// <summary>Whether neither endpoint is configured at all (as opposed to configured with mistakes).</summary>
    public bool IsEmpty => IsUnset(Sleep) && IsUnset(Test);

    private static bool IsUnset(ModelEndpointOptions endpoint) =>
        string.IsNullOrWhiteSpace(endpoint.Model) && endpoint.Endpoint is null && string.IsNullOrWhiteSpace(endpoint.ModelPath);

    /// <summary>Throws an <see cref="OptionsValidationException"/> listing every problem, unless both endpoints are usable.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SleepTimeModelsOptions), errors);
        }
    }
}
