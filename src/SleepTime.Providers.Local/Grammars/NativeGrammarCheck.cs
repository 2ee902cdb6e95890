using System.Runtime.InteropServices;
using System.Text;
using LLama;
using LLama.Native;

namespace SleepTime.Providers.Local.Grammars;

/// <summary>
/// Asks llama.cpp itself whether it accepts a grammar, through <c>llama_sampler_init_grammar</c>, which returns no
/// sampler (rather than crashing) for a grammar it cannot parse. The sampler is freed at once. Only grammars that
/// passed <see cref="GbnfValidator"/> are checked.
/// </summary>
internal static unsafe class NativeGrammarCheck
{
    private static readonly Lazy<Functions> Native = new(Load);

    /// <summary>Whether llama.cpp parses <paramref name="grammar"/> for <paramref name="weights"/>' vocabulary.</summary>
    /// <exception cref="InvalidGrammarException">The grammar failed managed validation, so llama.cpp was not asked.</exception>
    public static bool Accepts(LLamaWeights weights, string grammar, string root = "root")
    {
        GbnfValidator.Validate(grammar, root);
        return ParsesNatively(weights, grammar, root);
    }

    /// <summary>
    /// llama.cpp's verdict alone, without managed validation first: for tests that check the validator rejects
    /// whatever llama.cpp rejects. <c>llama_sampler_init_grammar</c> reports a parse error by returning no sampler.
    /// </summary>
    internal static bool ParsesNatively(LLamaWeights weights, string grammar, string root = "root")
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(grammar);
        var functions = Native.Value;
        var vocabulary = functions.GetVocabulary(weights.NativeHandle.DangerousGetHandle());
        var grammarBytes = Encoding.UTF8.GetBytes(grammar + "\0");
        var rootBytes = Encoding.UTF8.GetBytes(root + "\0");
        IntPtr sampler;
        fixed (byte* g = grammarBytes)
        fixed (byte* r = rootBytes)
        {
            sampler = functions.InitGrammar(vocabulary, g, r);
        }

        if (sampler == IntPtr.Zero)
        {
            return false;
        }

        functions.Free(sampler);
        return true;
    }

    private static Functions Load()
    {
        // Resolves through LLamaSharp's own import resolver, so this is the libllama it loaded.
        NativeApi.llama_empty_call();
        var library = NativeLibrary.Load("llama", typeof(NativeApi).Assembly, null);
        return new Functions(
            (delegate* unmanaged[Cdecl]<IntPtr, IntPtr>)NativeLibrary.GetExport(library, "llama_model_get_vocab"),
            (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr>)NativeLibrary.GetExport(library, "llama_sampler_init_grammar"),
            (delegate* unmanaged[Cdecl]<IntPtr, void>)NativeLibrary.GetExport(library, "llama_sampler_free"));
    }

    private sealed class Functions(
        delegate* unmanaged[Cdecl]<IntPtr, IntPtr> getVocabulary,
        delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr> initGrammar,
        delegate* unmanaged[Cdecl]<IntPtr, void> free)
    {
        public IntPtr GetVocabulary(IntPtr model) => getVocabulary(model);

        public IntPtr InitGrammar(IntPtr vocabulary, byte* grammar, byte* root) => initGrammar(vocabulary, grammar, root);

        public void Free(IntPtr sampler) => free(sampler);
    }
}
