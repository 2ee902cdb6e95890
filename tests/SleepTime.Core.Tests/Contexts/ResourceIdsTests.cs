namespace SleepTime.Tests.Contexts;

/// <summary>The one id grammar: every id a client may choose is one a URL path can name again.</summary>
public class ResourceIdsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("ctx:1")]
    [InlineData("v1.2")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("a_b-c")]
    public void Routable_ids_pass(string id) => Assert.Null(ResourceIds.Problem(id, "context"));

    [Theory]
    [InlineData(".", "cannot be '.' or '..'")]
    [InlineData("..", "cannot be '.' or '..'")]
    [InlineData("a/b", "may contain only")]
    [InlineData("a b", "may contain only")]
    [InlineData("é", "may contain only")]
    [InlineData("", "1 to 128")]
    [InlineData(" ", "1 to 128")]
    public void Unroutable_ids_are_refused_with_the_reason(string id, string reason)
    {
        var error = Assert.Throws<SleepTimeValidationException>(() => ResourceIds.Validate(id, "tenant"));
        Assert.Equal("id", error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("A tenant id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_longer_than_the_limit_are_refused() =>
        Assert.Throws<SleepTimeValidationException>(() => ContextValidation.ValidateId(new string('a', ResourceIds.MaxLength + 1)));

    [Fact]
    public void Context_ids_follow_the_same_grammar() =>
        Assert.Contains("cannot be '.' or '..'", Assert.Throws<SleepTimeValidationException>(() => ContextValidation.ValidateId("..")).Message, StringComparison.Ordinal);
}
