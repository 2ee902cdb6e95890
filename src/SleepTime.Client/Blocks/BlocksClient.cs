using SleepTime.Client.Http;
using SleepTime.Server;

namespace SleepTime.Client.Blocks;

/// <summary>/api/blocks: versioned memory blocks, written by people with the version they read.</summary>
public sealed class BlocksClient
{
    private readonly ApiConnection api;

    internal BlocksClient(ApiConnection api) => this.api = api;

    public Task<Block> CreateAsync(CreateBlockRequest request, CancellationToken cancellationToken = default) =>
        api.SendAsync<CreateBlockRequest, Block>(HttpMethod.Post, "api/blocks", request, cancellationToken);

    public Task<List<Block>> ListAsync(string? label = null, int? limit = null, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<Block>>(HttpMethod.Get, PathOf.Query("api/blocks", ("label", label), ("limit", limit)), cancellationToken);

    public Task<Block> GetAsync(string blockId, CancellationToken cancellationToken = default) =>
        api.SendAsync<Block>(HttpMethod.Get, Path(blockId), cancellationToken);

    /// <summary>Replaces the value if the block is still at <paramref name="expectedVersion"/>; a 409 when someone wrote it since.</summary>
    public Task<Block> UpdateAsync(string blockId, string value, long expectedVersion, CancellationToken cancellationToken = default) =>
        api.SendAsync<UpdateBlockRequest, Block>(HttpMethod.Put, Path(blockId), new UpdateBlockRequest(value, expectedVersion), cancellationToken);

    /// <summary>The agents the block is attached to.</summary>
    public Task<List<string>> AgentsAsync(string blockId, CancellationToken cancellationToken = default) =>
        api.SendAsync<List<string>>(HttpMethod.Get, Path(blockId) + "/agents", cancellationToken);

    private static string Path(string blockId) => $"api/blocks/{PathOf.Id(blockId)}";
}
