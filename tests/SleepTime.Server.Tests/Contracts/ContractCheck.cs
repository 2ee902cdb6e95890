namespace SleepTime.Server.Tests.Contracts;

/// <summary>
/// The process-wide OpenAPI document (read once from a server of its own) and the check every
/// <see cref="ServerFactory"/> runs over what it recorded when it is disposed: a response that does not match the
/// document fails the test that produced it.
/// </summary>
public static class ContractCheck
{
    private static readonly Lazy<Task<OpenApiContract>> Contract = new(LoadAsync);

    public static Task<OpenApiContract> ContractAsync() => Contract.Value;

    public static async Task<(int Checked, IReadOnlyList<string> Violations)> CheckAsync(IEnumerable<RecordedResponse> responses)
    {
        var contract = await ContractAsync();
        var violations = new List<string>();
        var count = 0;
        foreach (var response in responses)
        {
            if (contract.Check(response, out var skipped) is { } violation)
            {
                violations.Add(violation);
            }
            else if (!skipped)
            {
                count++;
            }
        }

        return (count, violations.Distinct().ToList());
    }

    private static async Task<OpenApiContract> LoadAsync()
    {
        await using var factory = new ServerFactory(recordResponses: false);
        var json = await factory.CreateClient().GetStringAsync("/openapi/v1.json");
        return new OpenApiContract(json);
    }
}
