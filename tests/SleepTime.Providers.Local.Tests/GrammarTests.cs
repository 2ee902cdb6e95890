using System.Text.Json;
using Microsoft.Extensions.AI;
using SleepTime.Agents;
using SleepTime.Providers.Local.Grammars;

namespace SleepTime.Providers.Local.Tests;

public sealed class GrammarTests
{
    private static AIFunctionDeclaration Tool(string name, string schema) =>
        AIFunctionFactory.CreateDeclaration(name, "A test tool.", JsonDocument.Parse(schema).RootElement.Clone());

    [Fact]
    public void Finds_every_tool_the_project_ships()
    {
        var names = ShippedTools.All.Select(t => t.Tool.Name).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "rethink_memory", "finish_rethinking_memory", MemoryTools.Insert, MemoryTools.Replace, MemoryTools.Rethink, MemoryTools.Finish },
            names);
    }

    [Fact]
    public void Every_shipped_tool_schema_converts_to_a_grammar_that_passes_managed_validation()
    {
        foreach (var (owner, tool) in ShippedTools.All)
        {
            var grammar = ToolCallGrammar.For([tool], allowText: false);

            GbnfValidator.Validate(grammar.Gbnf);
            Assert.Contains($"\\\"{tool.Name}\\\"", grammar.Gbnf);
            Assert.True(grammar.Tools.ContainsKey(tool.Name), owner);
        }
    }

    [ToyModelFact]
    public void Every_shipped_tool_schema_yields_a_grammar_llama_cpp_accepts()
    {
        var weights = ToyModel.Model.Weights;
        foreach (var group in ShippedTools.All.GroupBy(t => t.Owner.Split('.')[^2]))
        {
            foreach (var allowText in new[] { false, true })
            {
                var together = ToolCallGrammar.For(group.Select(t => t.Tool), allowText);
                Assert.True(NativeGrammarCheck.Accepts(weights, together.Gbnf), $"llama.cpp rejected the grammar of {group.Key} (text allowed: {allowText}):\n{together.Gbnf}");
            }

            foreach (var (owner, tool) in group)
            {
                var alone = ToolCallGrammar.For([tool], allowText: false);
                Assert.True(NativeGrammarCheck.Accepts(weights, alone.Gbnf), $"llama.cpp rejected the grammar of {owner} {tool.Name}:\n{alone.Gbnf}");
            }
        }
    }

    [ToyModelFact]
    public void Every_supported_schema_feature_yields_a_grammar_llama_cpp_accepts()
    {
        var tool = Tool("everything", """
            {"type":"object","properties":{
              "text":{"type":"string","description":"d"},
              "count":{"type":"integer","default":3},
              "ratio":{"type":"number"},
              "flag":{"type":"boolean"},
              "mode":{"type":"string","enum":["fast","slow","say \"hi\"\\n"]},
              "level":{"enum":[1,2,3.5,null,true]},
              "fixed":{"const":"x"},
              "tags":{"type":"array","items":{"type":"string"}},
              "few":{"type":"array","items":{"type":"integer"},"maxItems":4},
              "none":{"type":"array","items":{"type":"integer"},"maxItems":0},
              "points":{"type":"array","items":{"type":"object","properties":{"x":{"type":"integer"},"y":{"type":"integer"}},"required":["x","y"]}},
              "maybe":{"type":["string","null"]},
              "nested":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}},
              "empty":{"type":"object","properties":{}}},
             "required":["text","count"],
             "additionalProperties":false}
            """);
        var onlyOptional = Tool("optional_only", """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"},"c":{"type":"boolean"}}}""");
        var string_named = Tool("string", """{"type":"object","properties":{"string":{"type":"integer"},"ws":{"type":"string"}},"required":["string"]}""");

        var grammar = ToolCallGrammar.For([tool, onlyOptional, string_named], allowText: true);

        Assert.True(NativeGrammarCheck.Accepts(ToyModel.Model.Weights, grammar.Gbnf), grammar.Gbnf);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"integer"}]}}}""", "anyOf", "t.a")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","pattern":"^x+$"}}}""", "pattern", "t.a")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/defs/x"}}}""", "$ref", "t.a")]
    [InlineData("""{"type":"object","properties":{"n":{"type":"integer","minimum":0}}}""", "minimum", "t.n")]
    [InlineData("""{"type":"object","properties":{"a":{}}}""", "without 'type'", "t.a")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"array"}}}""", "needs 'items'", "t.a")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"date"}}}""", "'date'", "t.a")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"},"maxItems":1000}}}""", "'maxItems' must be", "t.a")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}""", "b are not declared", "'t'")]
    public void An_unsupported_schema_is_refused_with_a_clear_error(string schema, string expected, string path)
    {
        var error = Assert.Throws<UnsupportedSchemaException>(() => ToolCallGrammar.For([Tool("t", schema)], allowText: true));

        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains("cannot be turned into a grammar", error.Message);
    }

    [Fact]
    public void A_tool_that_is_not_a_function_is_refused()
    {
        var error = Assert.Throws<UnsupportedSchemaException>(() => ToolCallGrammar.For([new HostedWebSearchTool()], allowText: true));

        Assert.Contains("only call function tools", error.Message);
    }

    [ToyModelFact]
    public async Task An_unsupported_schema_is_refused_before_anything_reaches_the_native_library()
    {
        var model = LocalModel.Load(ToyModel.Settings with { MaxContexts = 1 });
        using var _ = model;
        using var client = new LocalChatClient(model, "toy");
        var options = new ChatOptions { Tools = [Tool("t", """{"type":"object","properties":{"a":{"type":"string","format":"date-time"}}}""")], MaxOutputTokens = 4 };

        var error = await Assert.ThrowsAsync<UnsupportedSchemaException>(() => client.GetResponseAsync("hi", options));

        Assert.Contains("'format'", error.Message);
        Assert.Equal(0, model.Contexts.Created); // no context was made, so nothing was decoded or sampled
    }

    [Theory]
    [InlineData("root ::= missing", "refers to 'missing'")]
    [InlineData("root ::= root \"a\" | \"b\"", "left-recursive")]
    [InlineData("root ::= a\na ::= b \"x\"\nb ::= \"\"? root", "left-recursive")]
    [InlineData("other ::= \"a\"", "no 'root' rule")]
    [InlineData("root ::= \"a\"\nroot ::= \"b\"", "defined twice")]
    [InlineData("root ::= \"abc", "unterminated string")]
    [InlineData("root ::= (\"a\"", "expected ')'")]
    [InlineData("root ::= [z-a]", "reversed range")]
    [InlineData("root ::= []", "empty character class")]
    [InlineData("root ::= \"\\q\"", "unknown escape")]
    [InlineData("root ::= (\"a\"?)*", "can match nothing")]
    [InlineData("root ::= \"a\"{2}", "not supported")]
    [InlineData("root := \"a\"", "expected '::='")]
    [InlineData("ro_ot ::= \"a\"", "expected '::='")]
    public void Validation_rejects_grammars_llama_cpp_would_fail_on(string grammar, string expected)
    {
        var error = Assert.Throws<InvalidGrammarException>(() => GbnfValidator.Validate(grammar));

        Assert.Contains(expected, error.Message);
    }

    [ToyModelFact]
    public void Validation_rejects_every_grammar_llama_cpp_rejects_and_accepts_what_it_accepts()
    {
        var weights = ToyModel.Model.Weights;
        string[] rejected =
        [
            "root ::= missing",
            "root ::= root \"a\" | \"b\"",
            "root ::= (\"a\"",
            "other ::= \"a\"",
            "root ::= \"abc",
            "root ::= \"\\q\"",
        ];
        string[] accepted =
        [
            "root ::= \"a\" [b-c]*",
            "root ::= (\"x\" |\n  \"y\")+ tail\ntail ::= [^\\n\\x00-\\x1F] . | \"\\u00e9\"",
            ToolCallGrammar.For(MemoryTools.Declared, allowText: true).Gbnf,
        ];

        foreach (var grammar in rejected)
        {
            Assert.False(NativeGrammarCheck.ParsesNatively(weights, grammar), $"llama.cpp accepts {grammar}");
            Assert.Throws<InvalidGrammarException>(() => GbnfValidator.Validate(grammar));
        }

        foreach (var grammar in accepted)
        {
            GbnfValidator.Validate(grammar);
            Assert.True(NativeGrammarCheck.ParsesNatively(weights, grammar), grammar);
        }
    }

    [Theory]
    [InlineData("root ::= \"a\" [b-c]* # comment\n")]
    [InlineData("root ::= (\"x\" |\n  \"y\")+ tail\ntail ::= [^\\n\\x00-\\x1F] . | \"\\u00e9\"")]
    [InlineData("root ::= a \"!\"\na ::= \"\" | \"a\" a")]
    public void Validation_accepts_well_formed_grammars(string grammar) => GbnfValidator.Validate(grammar);
}
