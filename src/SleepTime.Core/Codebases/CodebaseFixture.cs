using System.Globalization;

namespace SleepTime;

/// <summary>
/// A small repository the project writes itself, so the codebase path runs without downloading anything: a shop
/// application built up by a history of feature commits, plus feature requests whose files to modify are known.
/// Commits have fixed authors and dates, so the same call makes the same commit ids.
/// </summary>
public sealed class CodebaseFixture
{
    private readonly GitCli git;
    private int clock;

    private CodebaseFixture(string path)
    {
        Path = path;
        git = new GitCli(path, new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "Fixture Author",
            ["GIT_AUTHOR_EMAIL"] = "fixture@example.invalid",
            ["GIT_COMMITTER_NAME"] = "Fixture Author",
            ["GIT_COMMITTER_EMAIL"] = "fixture@example.invalid",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        });
    }

    public string Path { get; }

    /// <summary>The commit the feature requests start from (the last feature commit).</summary>
    public string BaseCommit { get; private set; } = string.Empty;

    /// <summary>The history's feature commits as pull requests (title, body, changed files with patch): the related material a sleep studies.</summary>
    public IReadOnlyList<CodebaseDocument> PullRequests { get; private set; } = [];

    /// <summary>Feature requests on <see cref="BaseCommit"/>, each with the files it must modify and the files it adds.</summary>
    public IReadOnlyList<FixtureFeatureRequest> Requests { get; } = FeatureRequests;

    /// <summary>Writes the repository into <paramref name="directory"/> (created; must be empty), with <paramref name="fillerFiles"/> extra modules to make it large.</summary>
    public static async Task<CodebaseFixture> CreateAsync(string directory, int fillerFiles = 0, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        if (Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new CodebaseException($"The fixture directory '{directory}' is not empty.");
        }

        var fixture = new CodebaseFixture(System.IO.Path.GetFullPath(directory));
        await fixture.git.RunCheckedAsync(["init", "-q", "-b", "main"], cancellationToken).ConfigureAwait(false);
        var initial = new Dictionary<string, string>(Initial);
        for (var i = 0; i < fillerFiles; i++)
        {
            initial[string.Create(CultureInfo.InvariantCulture, $"lib/pkg{i / 100:D3}/module{i:D5}.py")] = Filler(i);
        }

        var previous = await fixture.CommitFilesAsync("Initial application skeleton", initial, cancellationToken).ConfigureAwait(false);
        var pulls = new List<CodebaseDocument>();
        foreach (var (title, body, files) in History)
        {
            var commit = await fixture.CommitFilesAsync(title + "\n\n" + body, files, cancellationToken).ConfigureAwait(false);
            var codebase = await Codebase.OpenAsync(fixture.Path, commit, cancellationToken: cancellationToken).ConfigureAwait(false);
            pulls.Add(new CodebaseDocument(title, body, await codebase.DiffAsync(previous, cancellationToken).ConfigureAwait(false)));
            previous = commit;
        }

        fixture.PullRequests = pulls;
        fixture.BaseCommit = previous;
        return fixture;
    }

    /// <summary>Writes (or, with a null value, deletes) files and commits them; returns the new commit id.</summary>
    public async Task<string> CommitAsync(string message, IReadOnlyDictionary<string, string?> files, CancellationToken cancellationToken = default)
    {
        foreach (var (path, text) in files)
        {
            var full = System.IO.Path.Combine(Path, path);
            if (text is null)
            {
                File.Delete(full);
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, text, cancellationToken).ConfigureAwait(false);
        }

        return await CommitAllAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits whatever is in the working tree now (also files a test wrote itself, such as symlinks).</summary>
    public async Task<string> CommitAllAsync(string message, CancellationToken cancellationToken = default)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + (3600L * ++clock)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        await git.RunCheckedAsync(["add", "-A"], cancellationToken).ConfigureAwait(false);
        await git.RunCheckedAsync(["-c", $"user.name=Fixture Author", "commit", "-q", "--allow-empty", "--no-verify", "--date", date, "-m", message], cancellationToken).ConfigureAwait(false);
        return (await git.RunCheckedAsync(["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false)).Text.Trim();
    }

    private Task<string> CommitFilesAsync(string message, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken) =>
        CommitAsync(message, files.ToDictionary(f => f.Key, f => (string?)f.Value), cancellationToken);

    private static string Filler(int i) => string.Create(CultureInfo.InvariantCulture, $"\"\"\"Generated helper module {i}.\"\"\"\n\n\ndef helper_{i}(value):\n    return value + {i}\n");

    private static readonly Dictionary<string, string> Initial = new()
    {
        ["README.md"] = "# Shop\n\nA small shop service. Routes live in app/routes, data models in app/models, business rules in app/services.\nEvery route module registers itself in app/main.py.\n",
        ["app/__init__.py"] = string.Empty,
        ["app/main.py"] = "from app.config import Settings\n\nROUTES = []\n\n\ndef register(module):\n    ROUTES.append(module)\n\n\ndef create_app(settings=None):\n    settings = settings or Settings()\n    return {\"settings\": settings, \"routes\": list(ROUTES)}\n",
        ["app/config.py"] = "class Settings:\n    \"\"\"Settings read once at start-up.\"\"\"\n\n    debug = False\n    currency = \"EUR\"\n",
        ["app/assets/logo.png"] = "\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\0\0\0\u0001",
    };

    private static readonly (string Title, string Body, Dictionary<string, string> Files)[] History =
    [
        ("Add user accounts", "Users can sign up with a name and an email address. The user model validates the email; the users route exposes sign-up.", new()
        {
            ["app/models/user.py"] = "class User:\n    def __init__(self, name, email):\n        if \"@\" not in email:\n            raise ValueError(\"invalid email\")\n        self.name = name\n        self.email = email\n",
            ["app/routes/users.py"] = "from app.main import register\nfrom app.models.user import User\n\n\ndef sign_up(payload):\n    user = User(payload[\"name\"], payload[\"email\"])\n    return {\"name\": user.name, \"email\": user.email}\n\n\nregister(__name__)\n",
            ["tests/test_users.py"] = "from app.routes.users import sign_up\n\n\ndef test_sign_up():\n    assert sign_up({\"name\": \"a\", \"email\": \"a@b\"})[\"name\"] == \"a\"\n",
        }),
        ("Add the product catalogue", "Products have a name and a price in cents. The products route lists them.", new()
        {
            ["app/models/product.py"] = "class Product:\n    def __init__(self, name, price_cents):\n        self.name = name\n        self.price_cents = price_cents\n",
            ["app/routes/products.py"] = "from app.main import register\nfrom app.models.product import Product\n\nCATALOGUE = [Product(\"tea\", 450), Product(\"cake\", 300)]\n\n\ndef list_products():\n    return [{\"name\": p.name, \"price_cents\": p.price_cents} for p in CATALOGUE]\n\n\nregister(__name__)\n",
            ["tests/test_products.py"] = "from app.routes.products import list_products\n\n\ndef test_list():\n    assert len(list_products()) == 2\n",
        }),
        ("Add orders with pricing", "An order holds products and quantities. Prices are computed in app/services/pricing.py (the only place that does arithmetic on money); the orders route places an order.", new()
        {
            ["app/models/order.py"] = "class Order:\n    def __init__(self, user, lines):\n        self.user = user\n        self.lines = lines  # (product, quantity)\n",
            ["app/services/pricing.py"] = "def order_total(order):\n    \"\"\"Total of an order in cents.\"\"\"\n    return sum(product.price_cents * quantity for product, quantity in order.lines)\n",
            ["app/routes/orders.py"] = "from app.main import register\nfrom app.models.order import Order\nfrom app.services.pricing import order_total\n\n\ndef place_order(user, lines):\n    order = Order(user, lines)\n    return {\"total_cents\": order_total(order)}\n\n\nregister(__name__)\n",
            ["tests/test_orders.py"] = "from app.models.product import Product\nfrom app.routes.orders import place_order\n\n\ndef test_total():\n    assert place_order(None, [(Product(\"tea\", 450), 2)])[\"total_cents\"] == 900\n",
        }),
        ("Send an email when an order is placed", "Placing an order sends a confirmation email through app/services/email.py; the sender address is a setting in app/config.py.", new()
        {
            ["app/services/email.py"] = "from app.config import Settings\n\nOUTBOX = []\n\n\ndef send_confirmation(user, total_cents):\n    OUTBOX.append((Settings.sender, user.email, f\"Your order: {total_cents} cents\"))\n",
            ["app/config.py"] = "class Settings:\n    \"\"\"Settings read once at start-up.\"\"\"\n\n    debug = False\n    currency = \"EUR\"\n    sender = \"shop@example.invalid\"\n",
            ["app/routes/orders.py"] = "from app.main import register\nfrom app.models.order import Order\nfrom app.services.email import send_confirmation\nfrom app.services.pricing import order_total\n\n\ndef place_order(user, lines):\n    order = Order(user, lines)\n    total = order_total(order)\n    if user is not None:\n        send_confirmation(user, total)\n    return {\"total_cents\": total}\n\n\nregister(__name__)\n",
        }),
    ];

    private static readonly FixtureFeatureRequest[] FeatureRequests =
    [
        new(101, "Discount codes for orders", "Customers should be able to enter a discount code when placing an order; the code takes a percentage off the total.",
            ["app/services/pricing.py", "app/routes/orders.py", "app/models/order.py"], ["app/models/discount.py"]),
        new(102, "Users can set an avatar URL", "A user should have an optional avatar URL, given at sign-up and returned with the user.",
            ["app/models/user.py", "app/routes/users.py"], []),
        new(103, "Track product stock", "Products should have a stock count; placing an order must reduce it and refuse an order for more than is in stock.",
            ["app/models/product.py", "app/routes/orders.py"], []),
        new(104, "Configurable reply-to address for emails", "Confirmation emails need a reply-to address that operators can configure.",
            ["app/config.py", "app/services/email.py"], []),
    ];
}

/// <summary>A feature request on the fixture: the files it must modify (the ground truth) and the new files it adds (not scored).</summary>
public sealed record FixtureFeatureRequest(int Number, string Title, string Body, IReadOnlyList<string> ModifiedFiles, IReadOnlyList<string> AddedFiles);
