namespace SleepTime.Bench.Generation;

/// <summary>The built-in templates: everyday domains, original text, several related questions each.</summary>
public static class WordProblemTemplates
{
    /// <summary>
    /// The built-in templates with only the questions the context alone answers (no numbers of their own), as in the
    /// paper's Stateful GSM-Symbolic, where a question is a problem's last sentence and mostly asks for a quantity
    /// the context determines. Contexts are the same as from <see cref="All"/> for the same seed.
    /// </summary>
    public static IReadOnlyList<WordProblemTemplate> FromContextOnly => All.Select(t => t.WithQuestionsFromContextOnly()).ToList();

    private static readonly string[] People =
        ["Amara", "Bruno", "Chen", "Dalia", "Emeka", "Freya", "Gustavo", "Hana", "Ivan", "Jonah", "Keiko", "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wren", "Yusuf", "Zara"];

    public static IReadOnlyList<WordProblemTemplate> All { get; } =
    [
        WordProblemTemplate.Define("bakery-muffins", "food")
            .Word("name", People).Quantity("trays", 3, 9).Quantity("per_tray", 6, 24, 2).Quantity("price", 2, 5).Quantity("days", 5, 7)
            .Sentence("{name} runs a small bakery and bakes {trays} trays of muffins every morning.")
            .Sentence("Each tray holds {per_tray} muffins, and every muffin sells for ${price}.")
            .Sentence("The bakery is open {days} days a week.")
            .Step("daily", "trays * per_tray", "Muffins baked each day")
            .Step("weekly", "daily * days", "Muffins baked each week")
            .Step("daily_sales", "daily * price", "Money from a sold-out day")
            .Question("How many muffins does {name} bake in a week?", "weekly")
            .Question("How much money does the bakery make on a day when every muffin is sold?", "daily_sales")
            .Question("On one day {left} muffins are left unsold. How much money does the bakery make that day?", q => q
                .Quantity("left", 1, 12).Require("left < daily").Step("sold", "daily - left", "Muffins sold").Answer("sold * price", "Money made"))
            .Question("If {name} adds {extra} more trays each morning, how many muffins are baked in a week?", q => q
                .Quantity("extra", 1, 4).Step("new_daily", "(trays + extra) * per_tray", "Muffins per day with more trays").Answer("new_daily * days", "Muffins per week"))
            .Question("How many boxes of {box} muffins can be filled from one morning's baking?", q => q
                .Quantity("box", 2, 6).Require("daily % box == 0").Answer("daily / box", "Full boxes"))
            .Build(),

        WordProblemTemplate.Define("garden-beds", "gardening")
            .Word("name", People).Quantity("beds", 3, 8).Quantity("rows", 2, 6).Quantity("plants", 4, 12).Quantity("yield", 2, 9)
            .Sentence("{name} has {beds} raised garden beds.")
            .Sentence("Each bed has {rows} rows with {plants} tomato plants in every row.")
            .Sentence("Each plant gives {yield} tomatoes over the summer.")
            .Step("per_bed", "rows * plants", "Plants per bed")
            .Step("total_plants", "per_bed * beds", "Plants in all beds")
            .Step("tomatoes", "total_plants * yield", "Tomatoes harvested")
            .Question("How many tomato plants are there in total?", "total_plants")
            .Question("How many tomatoes does {name} harvest over the summer?", "tomatoes")
            .Question("If {name} gives away {give} tomatoes, how many are left?", q => q
                .Quantity("give", 5, 60).Require("give < tomatoes").Answer("tomatoes - give", "Tomatoes left"))
            .Question("Tomatoes are packed in bags of {bag}. How many full bags can be packed?", q => q
                .Quantity("bag", 4, 12).Require("tomatoes % bag == 0").Answer("tomatoes / bag", "Full bags"))
            .Build(),

        WordProblemTemplate.Define("road-trip", "travel")
            .Word("name", People).Quantity("speed", 40, 90, 5).Quantity("hours", 2, 8).Quantity("mpg", 20, 40, 5).Quantity("price", 3, 6)
            .Sentence("{name} drives at a steady {speed} miles per hour for {hours} hours to reach a lake.")
            .Sentence("The car goes {mpg} miles on one gallon of gas, and gas costs ${price} per gallon.")
            .Require("(speed * hours) % mpg == 0")
            .Step("distance", "speed * hours", "Miles to the lake")
            .Step("gallons", "distance / mpg", "Gallons used one way")
            .Step("cost", "gallons * price", "Gas cost one way")
            .Question("How far is the lake in miles?", "distance")
            .Question("How many gallons of gas does the round trip use?", "gallons * 2", "Gallons for the round trip")
            .Question("How much does gas for the round trip cost?", "cost * 2", "Gas cost for the round trip")
            .Question("On the way back {name} drives {faster} miles per hour faster for the first {part} hours. How many miles are left after that?", q => q
                .Quantity("faster", 5, 15, 5).Quantity("part", 1, 3).Step("covered", "(speed + faster) * part", "Miles covered faster")
                .Require("covered < distance").Answer("distance - covered", "Miles left"))
            .Build(),

        WordProblemTemplate.Define("library-books", "reading")
            .Word("name", People).Quantity("shelves", 4, 12).Quantity("per_shelf", 20, 60, 5).Quantity("borrowed", 10, 90)
            .Sentence("A school library run by {name} has {shelves} shelves, each holding {per_shelf} books.")
            .Sentence("This week students borrowed {borrowed} books.")
            .Require("borrowed < shelves * per_shelf")
            .Step("total", "shelves * per_shelf", "Books the library owns")
            .Step("on_shelves", "total - borrowed", "Books still on the shelves")
            .Question("How many books does the library own?", "total")
            .Question("How many books are still on the shelves?", "on_shelves")
            .Question("If {returned} borrowed books come back, how many books are on the shelves?", q => q
                .Quantity("returned", 1, 30).Require("returned <= borrowed").Answer("on_shelves + returned", "Books on the shelves"))
            .Question("The library buys {new_shelves} more shelves and fills them the same way. How many books does it own now?", q => q
                .Quantity("new_shelves", 1, 5).Answer("(shelves + new_shelves) * per_shelf", "Books owned"))
            .Build(),

        WordProblemTemplate.Define("savings-jar", "money")
            .Word("name", People).Quantity("start", 10, 80, 5).Quantity("weekly", 5, 25).Quantity("weeks", 4, 12)
            .Sentence("{name} has ${start} in a savings jar.")
            .Sentence("Every week {name} adds ${weekly} from a paper route, for {weeks} weeks.")
            .Step("added", "weekly * weeks", "Money added")
            .Step("saved", "start + added", "Money in the jar at the end")
            .Question("How much money is in the jar at the end?", "saved")
            .Question("How much money does {name} add over the whole period?", "added")
            .Question("{name} wants a bike that costs ${bike}. How much more money is needed after the last week?", q => q
                .Quantity("bike", 150, 400, 10).Require("bike > saved").Answer("bike - saved", "Money still needed"))
            .Question("If {name} spends ${spend} on a gift in the middle, how much is in the jar at the end?", q => q
                .Quantity("spend", 5, 40).Require("spend < saved").Answer("saved - spend", "Money at the end"))
            .Build(),

        WordProblemTemplate.Define("recipe-scaling", "cooking")
            .Word("name", People).Quantity("servings", 2, 6).Quantity("flour", 100, 400, 50).Quantity("eggs", 1, 4).Quantity("guests", 6, 30)
            .Sentence("{name}'s pancake recipe makes {servings} servings.")
            .Sentence("It uses {flour} grams of flour and {eggs} eggs.")
            .Sentence("{name} is cooking for {guests} guests, one serving each.")
            .Require("guests % servings == 0")
            .Step("batches", "guests / servings", "Batches needed")
            .Step("total_flour", "batches * flour", "Grams of flour needed")
            .Step("total_eggs", "batches * eggs", "Eggs needed")
            .Question("How many batches of the recipe does {name} need?", "batches")
            .Question("How many grams of flour are needed?", "total_flour")
            .Question("How many eggs are needed?", "total_eggs")
            .Question("Eggs come in cartons of {carton}. How many cartons must {name} buy?", q => q
                .Quantity("carton", 6, 12, 6).Step("cartons_exact", "(total_eggs + carton - 1) / carton * carton", "Eggs in whole cartons")
                .Answer("cartons_exact / carton", "Cartons"))
            .Build(),

        WordProblemTemplate.Define("farm-animals", "farming")
            .Word("name", People).Quantity("chickens", 5, 40).Quantity("cows", 2, 15).Quantity("eggs_per", 3, 6)
            .Sentence("On {name}'s farm there are {chickens} chickens and {cows} cows.")
            .Sentence("Each chicken lays {eggs_per} eggs a week.")
            .Step("chicken_legs", "chickens * 2", "Chicken legs")
            .Step("cow_legs", "cows * 4", "Cow legs")
            .Step("legs", "chicken_legs + cow_legs", "Legs on the farm")
            .Step("eggs", "chickens * eggs_per", "Eggs a week")
            .Question("How many legs do the animals on the farm have altogether?", "legs")
            .Question("How many eggs are laid in a week?", "eggs")
            .Question("How many eggs are laid in {weeks} weeks?", q => q.Quantity("weeks", 2, 8).Answer("eggs * weeks", "Eggs laid"))
            .Question("{name} sells eggs by the dozen at ${price} a dozen. How much money do {dozens} dozen bring in?", q => q
                .Quantity("price", 3, 6).Quantity("dozens", 1, 10).Require("dozens * 12 <= eggs").Answer("dozens * price", "Money from eggs"))
            .Build(),

        WordProblemTemplate.Define("room-painting", "home")
            .Word("name", People).Quantity("walls", 4, 8).Quantity("area", 8, 20).Quantity("coverage", 4, 10).Quantity("can_price", 12, 40)
            .Sentence("{name} is painting a room with {walls} walls of {area} square meters each.")
            .Sentence("One can of paint covers {coverage} square meters and costs ${can_price}.")
            .Require("(walls * area) % coverage == 0")
            .Step("total_area", "walls * area", "Square meters to paint")
            .Step("cans", "total_area / coverage", "Cans for one coat")
            .Question("How many square meters will {name} paint?", "total_area")
            .Question("How many cans are needed for one coat?", "cans")
            .Question("How much does the paint for two coats cost?", "cans * 2 * can_price", "Cost of two coats")
            .Question("If a window takes up {window} square meters of one wall, how many square meters are painted?", q => q
                .Quantity("window", 1, 4).Require("window < area").Answer("total_area - window", "Painted area"))
            .Build(),

        WordProblemTemplate.Define("sports-league", "sports")
            .Word("name", People).Quantity("wins", 3, 15).Quantity("draws", 0, 8).Quantity("losses", 0, 10)
            .Sentence("{name}'s football team played a season with {wins} wins, {draws} draws and {losses} losses.")
            .Sentence("A win earns 3 points, a draw 1 point and a loss none.")
            .Step("games", "wins + draws + losses", "Games played")
            .Step("points", "wins * 3 + draws", "Points")
            .Question("How many games did the team play?", "games")
            .Question("How many points did the team earn?", "points")
            .Question("The team needs {target} points to qualify. How many more points did it need after the season?", q => q
                .Quantity("target", 20, 60).Require("target > points").Answer("target - points", "Points short"))
            .Question("If {flipped} of the losses had been wins instead, how many points would the team have?", q => q
                .Quantity("flipped", 1, 5).Require("flipped <= losses").Answer("points + flipped * 3", "Points"))
            .Build(),

        WordProblemTemplate.Define("water-tank", "home")
            .Word("name", People).Quantity("capacity", 200, 1200, 100).Quantity("inflow", 10, 50, 5).Quantity("start", 0, 100, 10)
            .Sentence("{name}'s rain tank holds {capacity} liters and already has {start} liters in it.")
            .Sentence("A storm fills it at {inflow} liters per hour.")
            .Require("(capacity - start) % inflow == 0").Require("start < capacity")
            .Step("missing", "capacity - start", "Liters until full")
            .Step("hours", "missing / inflow", "Hours until full")
            .Question("How many more liters fit in the tank?", "missing")
            .Question("How many hours until the tank is full?", "hours")
            .Question("How many liters are in the tank after {after} hours of storm?", q => q
                .Quantity("after", 1, 6).Require("after <= hours").Answer("start + after * inflow", "Liters in the tank"))
            .Question("If {name} uses {use} liters a day once the tank is full, how many full days does the water last?", q => q
                .Quantity("use", 20, 100, 10).Require("capacity % use == 0").Answer("capacity / use", "Days"))
            .Build(),

        WordProblemTemplate.Define("phone-plan", "money")
            .Word("name", People).Quantity("base", 10, 40, 5).Quantity("included", 2, 10).Quantity("extra_rate", 2, 8).Quantity("used", 1, 20)
            .Sentence("{name}'s phone plan costs ${base} a month and includes {included} gigabytes of data.")
            .Sentence("Each extra gigabyte costs ${extra_rate}.")
            .Sentence("Last month {name} used {used} gigabytes.")
            .Require("used > included")
            .Step("extra", "used - included", "Extra gigabytes")
            .Step("bill", "base + extra * extra_rate", "Last month's bill")
            .Question("How much was last month's bill?", "bill")
            .Question("How many gigabytes over the plan did {name} go?", "extra")
            .Question("What would the bill be for {months} months like last month?", q => q.Quantity("months", 2, 12).Answer("bill * months", "Bill for the months"))
            .Question("A bigger plan costs ${big} with unlimited data. How much would {name} have saved last month with it?", q => q
                .Quantity("big", 20, 60, 5).Require("big < bill").Answer("bill - big", "Saving"))
            .Build(),

        WordProblemTemplate.Define("concert-tickets", "events")
            .Word("name", People).Quantity("adult", 20, 60, 5).Quantity("child", 5, 20, 5).Quantity("adults", 1, 4).Quantity("children", 1, 5).Quantity("fee", 2, 6)
            .Sentence("{name} buys concert tickets for {adults} adults and {children} children.")
            .Sentence("An adult ticket costs ${adult}, a child ticket ${child}, and every ticket has a ${fee} booking fee.")
            .Require("child < adult")
            .Step("tickets", "adults + children", "Tickets bought")
            .Step("price", "adults * adult + children * child", "Ticket prices")
            .Step("fees", "tickets * fee", "Booking fees")
            .Step("total", "price + fees", "Total paid")
            .Question("How much does {name} pay in total?", "total")
            .Question("How much of that is booking fees?", "fees")
            .Question("If {name} pays with ${paid}, how much change comes back?", q => q
                .Quantity("paid", 100, 500, 50).Require("paid >= total").Answer("paid - total", "Change"))
            .Question("How much would {more} more child tickets cost, fees included?", q => q
                .Quantity("more", 1, 3).Answer("more * (child + fee)", "Cost of more tickets"))
            .Build(),

        WordProblemTemplate.Define("orchard-picking", "farming")
            .Word("name", People).Word("friend", People).Quantity("rate_a", 20, 60, 5).Quantity("rate_b", 10, 50, 5).Quantity("hours", 2, 6).Quantity("basket", 5, 20, 5)
            .Sentence("{name} picks {rate_a} apples an hour and {friend} picks {rate_b} apples an hour.")
            .Sentence("They pick together for {hours} hours.")
            .Sentence("A basket holds {basket} apples.")
            .Require("((rate_a + rate_b) * hours) % basket == 0")
            .Step("per_hour", "rate_a + rate_b", "Apples per hour together")
            .Step("apples", "per_hour * hours", "Apples picked")
            .Step("baskets", "apples / basket", "Baskets filled")
            .Question("How many apples do they pick altogether?", "apples")
            .Question("How many baskets do they fill?", "baskets")
            .Question("How many more apples does {name} pick than {friend}?", q => q
                .Require("rate_a > rate_b").Answer("(rate_a - rate_b) * hours", "Difference"))
            .Question("If they sell each basket for ${price}, how much money do they make?", q => q.Quantity("price", 4, 15).Answer("baskets * price", "Money made"))
            .Build(),

        WordProblemTemplate.Define("train-commute", "travel")
            .Word("name", People).Quantity("ride", 15, 60, 5).Quantity("walk", 5, 20).Quantity("days", 3, 5).Quantity("fare", 2, 9)
            .Sentence("{name} commutes to work {days} days a week.")
            .Sentence("Each way, the train ride takes {ride} minutes and the walk from the station takes {walk} minutes.")
            .Sentence("A one-way fare is ${fare}.")
            .Step("one_way", "ride + walk", "Minutes one way")
            .Step("daily", "one_way * 2", "Minutes commuting a day")
            .Step("weekly", "daily * days", "Minutes commuting a week")
            .Step("weekly_fares", "fare * 2 * days", "Fares a week")
            .Question("How many minutes does {name} spend commuting each week?", "weekly")
            .Question("How much does {name} spend on fares each week?", "weekly_fares")
            .Question("A weekly pass costs ${pass}. How much does {name} save each week with it?", q => q
                .Quantity("pass", 5, 60).Require("pass < weekly_fares").Answer("weekly_fares - pass", "Weekly saving"))
            .Question("If the train is {late} minutes late one morning, how long is that day's commute in minutes?", q => q
                .Quantity("late", 3, 25).Answer("daily + late", "Minutes that day"))
            .Build(),

        WordProblemTemplate.Define("knitting-scarves", "crafts")
            .Word("name", People).Quantity("rows", 80, 200, 10).Quantity("per_hour", 10, 40, 5).Quantity("yarn", 50, 150, 25).Quantity("skein", 100, 300, 50)
            .Sentence("{name} knits scarves that are {rows} rows long.")
            .Sentence("{name} knits {per_hour} rows an hour, and each scarf uses {yarn} meters of yarn.")
            .Sentence("A skein of yarn has {skein} meters.")
            .Require("rows % per_hour == 0")
            .Step("hours", "rows / per_hour", "Hours per scarf")
            .Question("How many hours does one scarf take?", "hours")
            .Question("How many hours do {count} scarves take?", q => q.Quantity("count", 2, 8).Answer("hours * count", "Hours"))
            .Question("How many whole scarves can {name} knit from {skeins} skeins?", q => q
                .Quantity("skeins", 1, 6).Step("meters", "skeins * skein", "Meters of yarn")
                .Step("leftover", "meters % yarn", "Meters left over").Answer("(meters - leftover) / yarn", "Whole scarves"))
            .Question("After knitting for {spent} hours, how many rows of the current scarf are left?", q => q
                .Quantity("spent", 1, 5).Require("spent < hours").Answer("rows - spent * per_hour", "Rows left"))
            .Build(),

        WordProblemTemplate.Define("pet-shelter", "animals")
            .Word("name", People).Quantity("dogs", 5, 30).Quantity("cats", 5, 30).Quantity("dog_food", 2, 5).Quantity("cat_food", 1, 3).Quantity("bag", 10, 25, 5)
            .Sentence("The animal shelter where {name} volunteers houses {dogs} dogs and {cats} cats.")
            .Sentence("Each dog eats {dog_food} cups of food a day and each cat eats {cat_food} cups.")
            .Sentence("A bag of food holds {bag} cups.")
            .Step("animals", "dogs + cats", "Animals at the shelter")
            .Step("cups", "dogs * dog_food + cats * cat_food", "Cups of food a day")
            .Question("How many animals live at the shelter?", "animals")
            .Question("How many cups of food does the shelter use each day?", "cups")
            .Question("How many cups are used in {days} days?", q => q.Quantity("days", 2, 14).Answer("cups * days", "Cups used"))
            .Question("If {adopted} dogs are adopted, how many cups a day does the shelter then use?", q => q
                .Quantity("adopted", 1, 5).Require("adopted < dogs").Answer("cups - adopted * dog_food", "Cups a day"))
            .Question("How many whole bags are used up in {weeks} weeks?", q => q
                .Quantity("weeks", 1, 4).Step("week_cups", "cups * 7 * weeks", "Cups over the weeks")
                .Answer("(week_cups - week_cups % bag) / bag", "Whole bags"))
            .Build(),

        WordProblemTemplate.Define("bookstore-sale", "shopping")
            .Word("name", People).Quantity("price", 10, 40, 2).Quantity("count", 2, 8).Quantity("percent", 10, 50, 10)
            .Sentence("A bookstore sells novels for ${price} each.")
            .Sentence("This weekend everything is {percent}% off, and {name} buys {count} novels.")
            .Require("(price * count * percent) % 100 == 0")
            .Step("full", "price * count", "Price before the discount")
            .Step("discount", "full * percent / 100", "Discount")
            .Step("paid", "full - discount", "Amount paid")
            .Question("How much does {name} pay?", "paid")
            .Question("How much does {name} save with the sale?", "discount")
            .Question("If {name} also buys a ${bookmark} bookmark that is not on sale, how much is the total?", q => q
                .Quantity("bookmark", 1, 5).Answer("paid + bookmark", "Total"))
            .Build(),

        WordProblemTemplate.Define("school-fundraiser", "school")
            .Word("name", People).Quantity("classes", 3, 10).Quantity("students", 15, 30).Quantity("each", 2, 10).Quantity("goal", 500, 3000, 100)
            .Sentence("{name}'s school has {classes} classes of {students} students each.")
            .Sentence("For a fundraiser every student brings in ${each}.")
            .Sentence("The school's goal is ${goal}.")
            .Step("pupils", "classes * students", "Students at the school")
            .Step("raised", "pupils * each", "Money raised")
            .Question("How much money does the school raise?", "raised")
            .Question("How many students take part?", "pupils")
            .Question("The school adds a bake sale that brings in ${bake}. How far short of the goal is the school now?", q => q
                .Quantity("bake", 50, 400, 50).Step("with_sale", "raised + bake", "Money with the bake sale")
                .Require("goal > with_sale").Answer("goal - with_sale", "Dollars short"))
            .Question("If {absent} students were absent and brought nothing, how much was raised?", q => q
                .Quantity("absent", 1, 10).Require("absent < pupils").Answer("(pupils - absent) * each", "Money raised"))
            .Build(),
    ];
}
