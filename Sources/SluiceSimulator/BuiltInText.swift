import Foundation

/// Composes plausible prompts from word lists and templates, so `sluice simulate` and the demo run on a machine
/// without the public corpora. Sizes are large enough that harvesters need not repeat themselves within a few days.
enum BuiltInText {
    static func pools(seed: UInt64) -> TextPools {
        var random = SimulationRandom(seed: seed, 0x7E47)
        var pools = TextPools()
        pools.mathProblems = (0..<4_000).map { _ in mathProblem(&random).question }
        pools.workedExamples = (0..<32).map { _ in
            let problem = mathProblem(&random)
            return (problem.question, problem.answer)
        }
        pools.codeProblems = (0..<600).map { _ in codeProblem(&random) }
        pools.codingRequests = (0..<800).map { _ in codingRequest(&random) }
        pools.dialogues = (0..<900).map { _ in dialogue(&random) }
        pools.chatPrompts = (0..<1_500).map { _ in chatPrompt(&random) }
        pools.roleplayPrompts = roles.map { role in
            "I want you to act as \(role.article) \(role.name). \(role.duty) "
                + "My first request is \"\(random.pick(role.firstRequests))\""
        }
        pools.instructions = (0..<3_000).map { _ in instruction(&random) }
        pools.benchmarkQuestions = (0..<80).map { _ in [instruction(&random), random.pick(followUps)] }
        pools.passages = (0..<800).map { _ in passage(&random) }
        pools.questions =
            pools.passages.prefix(400).map { _ in passageQuestion(&random) }
            + (0..<400).map { _ in chatPrompt(&random) }
        pools.documents = (0..<300).map { _ in
            (0..<random.int(3...6)).map { _ in passage(&random) }.joined(separator: "\n\n")
        }
        pools.snippets = (0..<2_500).map { _ in snippet(&random) }
        pools.classifierTasks = classifierTasks(&random)
        pools.judgeItems = (0..<600).map { _ in
            JudgeItem(instruction: instruction(&random), firstOutput: answer(&random), secondOutput: answer(&random))
        }
        pools.judgeSystemPrompt =
            "You are a careful evaluator who compares two responses to the same instruction "
            + "and selects the one a thoughtful human would prefer."
        pools.judgeTemplate = """
            Compare the two outputs for the instruction below.

            ## Instruction
            {instruction}

            ## Output (a)
            {output_1}

            ## Output (b)
            {output_2}

            Which output is better? Reply with exactly one letter: a or b.
            """
        return pools
    }

    // MARK: Math

    private static let names = [
        "Maya", "Liam", "Sofia", "Noah", "Aisha", "Mateo", "Chloe", "Ravi", "Elena", "Kenji", "Olivia", "Diego",
        "Priya", "Lucas", "Fatima", "Hannah", "Omar", "Grace", "Tomás", "Mei", "Jonas", "Zara", "Ethan", "Leila",
    ]
    private static let items = [
        ("apples", "a basket of"), ("stickers", "a sheet of"), ("marbles", "a bag of"), ("cupcakes", "a tray of"),
        ("books", "a shelf of"), ("pencils", "a box of"), ("seashells", "a jar of"), ("eggs", "a carton of"),
        ("tomato plants", "a row of"), ("trading cards", "a pack of"), ("bottles of juice", "a crate of"),
        ("bracelets", "a batch of"),
    ]
    private static let jobs = [
        "walks dogs", "tutors students", "mows lawns", "babysits", "bakes bread", "repairs bikes",
    ]

    private static func mathProblem(_ random: inout SimulationRandom) -> (question: String, answer: String) {
        let name = random.pick(names)
        var other = random.pick(names)
        if other == name { other = names[(names.firstIndex(of: name)! + 1) % names.count] }
        let (item, unit) = random.pick(items)
        switch random.index(8) {
        case 0:
            let start = random.int(12...90), bought = random.int(3...40), given = random.int(2...10)
            let total = start + bought - given
            return (
                "\(name) has \(start) \(item). She buys \(bought) more and gives \(given) to \(other). "
                    + "How many \(item) does \(name) have now?",
                "\(name) starts with \(start) \(item). After buying \(bought) she has \(start + bought). "
                    + "After giving away \(given) she has \(total). The answer is \(total)."
            )
        case 1:
            let rate = random.int(8...45), hours = random.int(3...12), days = random.int(2...6)
            let total = rate * hours * days
            return (
                "\(name) \(random.pick(jobs)) for $\(rate) an hour. This week \(name) worked \(hours) hours a day "
                    + "for \(days) days. How much money did \(name) earn this week?",
                "Each day \(name) earns \(rate) * \(hours) = \(rate * hours) dollars. Over \(days) days that is "
                    + "\(rate * hours) * \(days) = \(total) dollars. The answer is \(total)."
            )
        case 2:
            let boxes = random.int(3...15), perBox = random.int(4...24), eaten = random.int(1...boxes * perBox / 2)
            let left = boxes * perBox - eaten
            return (
                "A shop receives \(boxes) shipments, each with \(unit) \(perBox) \(item). By the end of the day, "
                    + "\(eaten) \(item) have been sold. How many \(item) are left?",
                "There are \(boxes) * \(perBox) = \(boxes * perBox) \(item) in total. After selling \(eaten), "
                    + "\(boxes * perBox - eaten) remain. The answer is \(left)."
            )
        case 3:
            let price = random.int(2...30), quantity = random.int(2...12), paid = (price * quantity / 10 + 1) * 10
            let change = paid - price * quantity
            return (
                "\(name) buys \(quantity) \(item) that cost $\(price) each and pays with $\(paid). "
                    + "How much change does \(name) receive?",
                "The \(item) cost \(quantity) * \(price) = \(quantity * price) dollars. The change is \(paid) - "
                    + "\(quantity * price) = \(change) dollars. The answer is \(change)."
            )
        case 4:
            let speed = random.int(30...80), hours = random.int(2...7), extra = random.int(10...90)
            let total = speed * hours + extra
            return (
                "\(name) drives at \(speed) miles per hour for \(hours) hours, then another \(extra) miles on "
                    + "back roads. How many miles did \(name) drive in total?",
                "At \(speed) mph for \(hours) hours she drives \(speed * hours) miles. Adding \(extra) gives \(total). "
                    + "The answer is \(total)."
            )
        case 5:
            let percent = random.pick([10, 15, 20, 25, 30, 40, 50]), price = random.int(4...60) * 10
            let sale = price - price * percent / 100
            return (
                "A jacket normally costs $\(price). During a sale it is \(percent)% off. \(name) also has a "
                    + "coupon for $\(random.int(1...9)) that cannot be combined with the sale. What is the sale price?",
                "The discount is \(price) * \(percent)/100 = \(price * percent / 100). The sale price is \(sale). "
                    + "The answer is \(sale)."
            )
        case 6:
            let age = random.int(5...20), gap = random.int(2...30), years = random.int(2...15)
            let total = age + gap + years
            return (
                "\(other) is \(gap) years older than \(name), who is \(age). How old will \(other) be in "
                    + "\(years) years?",
                "\(other) is \(age) + \(gap) = \(age + gap) now. In \(years) years \(other) will be \(total). "
                    + "The answer is \(total)."
            )
        default:
            let width = random.int(3...25), length = random.int(4...40), cost = random.int(2...15)
            let total = width * length * cost
            return (
                "\(name) wants to cover a rectangular garden that is \(width) feet wide and \(length) feet long "
                    + "with mulch. Mulch costs $\(cost) per square foot. How much will the mulch cost?",
                "The area is \(width) * \(length) = \(width * length) square feet. At \(cost) dollars each, that is "
                    + "\(total) dollars. The answer is \(total)."
            )
        }
    }

    // MARK: Code

    private static let codeTasks: [(name: String, signature: String, summary: String, example: String)] = [
        (
            "moving_average", "values: List[float], window: int) -> List[float]",
            "Return the moving averages of values over the given window size.", "moving_average([1, 2, 3, 4], 2)"
        ),
        (
            "dedupe_preserving_order", "items: List[str]) -> List[str]",
            "Remove duplicates from items while keeping the first occurrence of each.",
            "dedupe_preserving_order(['a', 'b', 'a'])"
        ),
        (
            "parse_duration", "text: str) -> int", "Parse a duration such as '1h30m' or '45s' into seconds.",
            "parse_duration('1h30m')"
        ),
        (
            "merge_intervals", "intervals: List[Tuple[int, int]]) -> List[Tuple[int, int]]",
            "Merge overlapping closed intervals and return them sorted.", "merge_intervals([(1, 3), (2, 6), (8, 10)])"
        ),
        (
            "is_balanced", "expression: str) -> bool",
            "Check whether brackets (), [] and {} in expression are balanced.",
            "is_balanced('([]{})')"
        ),
        (
            "top_k_frequent", "words: List[str], k: int) -> List[str]",
            "Return the k most frequent words, ties broken alphabetically.", "top_k_frequent(['a', 'b', 'a'], 1)"
        ),
        (
            "rotate_matrix", "matrix: List[List[int]]) -> List[List[int]]",
            "Rotate a square matrix 90 degrees clockwise.",
            "rotate_matrix([[1, 2], [3, 4]])"
        ),
        (
            "longest_common_prefix", "strings: List[str]) -> str", "Return the longest prefix shared by all strings.",
            "longest_common_prefix(['flower', 'flow', 'flight'])"
        ),
        (
            "chunk", "items: List[int], size: int) -> List[List[int]]", "Split items into consecutive chunks of size.",
            "chunk([1, 2, 3, 4, 5], 2)"
        ),
        ("roman_to_int", "numeral: str) -> int", "Convert a Roman numeral to an integer.", "roman_to_int('MCMXCIV')"),
        (
            "count_islands", "grid: List[List[str]]) -> int",
            "Count groups of '1' cells connected horizontally or vertically.", "count_islands([['1', '0'], ['0', '1']])"
        ),
        (
            "median_of_stream", "values: List[int]) -> List[float]",
            "Return the running median after each value is added.", "median_of_stream([5, 15, 1, 3])"
        ),
        ("flatten", "nested: list) -> list", "Flatten an arbitrarily nested list.", "flatten([1, [2, [3, 4]], 5])"),
        (
            "validate_ipv4", "address: str) -> bool", "Return True if address is a valid dotted IPv4 address.",
            "validate_ipv4('192.168.0.256')"
        ),
        (
            "word_wrap", "text: str, width: int) -> List[str]", "Wrap text into lines of at most width characters.",
            "word_wrap('the quick brown fox', 10)"
        ),
        (
            "next_permutation", "digits: List[int]) -> List[int]",
            "Return the next lexicographic permutation of digits, or the smallest if none.",
            "next_permutation([1, 2, 3])"
        ),
        (
            "camel_to_snake", "name: str) -> str", "Convert a camelCase identifier to snake_case.",
            "camel_to_snake('parseHttpResponse')"
        ),
        ("sum_of_primes", "limit: int) -> int", "Return the sum of all primes below limit.", "sum_of_primes(10)"),
        (
            "group_anagrams", "words: List[str]) -> List[List[str]]", "Group words that are anagrams of each other.",
            "group_anagrams(['eat', 'tea', 'tan'])"
        ),
        (
            "histogram", "values: List[int], buckets: int) -> List[int]",
            "Count how many values fall into each of buckets equal-width ranges.", "histogram([1, 2, 9], 3)"
        ),
    ]
    private static let languages = Mutations.languages
    private static let codingAsks = [
        "Why does this return the wrong result when the input is empty?", "Add type hints and a docstring.",
        "Write pytest unit tests for this function, including edge cases.", "Refactor this to be more readable.",
        "Explain what this does line by line.", "Can you make this run in O(n log n)?",
        "This raises an IndexError on some inputs. What is wrong?", "Rewrite this without recursion.",
        "How would I make this work with very large inputs that do not fit in memory?",
    ]
    private static let codingTopics = [
        "read a CSV file and compute the average of one column", "retry an HTTP request with exponential backoff",
        "debounce a function call", "validate an email address", "paginate results from a REST API",
        "parse command-line arguments", "connect to PostgreSQL and run a parameterised query",
        "deduplicate records by a composite key", "stream a large JSON file without loading it into memory",
        "write a thread-safe LRU cache", "schedule a job every five minutes", "resize images in a folder",
        "compute the diff between two lists of dictionaries", "implement a token bucket rate limiter",
        "serve static files with caching headers", "convert timestamps between time zones",
        "read environment variables with defaults", "build a trie for autocomplete",
        "upload a file to S3 with a presigned URL", "hash passwords securely",
    ]

    private static func codeProblem(_ random: inout SimulationRandom) -> String {
        let task = random.pick(codeTasks)
        let suffix = random.chance(0.5) ? "" : "_\(random.pick(["fast", "v2", "safe", "strict", "simple", "iter"]))"
        return """
            from typing import List, Tuple


            def \(task.name)\(suffix)(\(task.signature):
                \"\"\" \(task.summary)
                >>> \(task.example)
                \"\"\"

            """
    }

    private static func codingRequest(_ random: inout SimulationRandom) -> String {
        let topic = random.pick(codingTopics)
        let language = random.pick(languages)
        switch random.index(5) {
        case 0: return "How do I \(topic) in \(language)?"
        case 1: return "Write a \(language) function to \(topic)."
        case 2: return "What is the idiomatic way to \(topic) in \(language)? Show a short example."
        case 3: return "I need to \(topic). I'm using \(language). What libraries would you recommend and why?"
        default: return "My \(language) code that tries to \(topic) is slow. What are common mistakes?"
        }
    }

    // MARK: Chat

    private static let topics = [
        "sourdough bread", "compound interest", "marathon training", "the French Revolution", "houseplants",
        "learning Spanish", "home insurance", "black holes", "a job interview", "a wedding toast", "climate change",
        "sleep hygiene", "electric cars", "photosynthesis", "budget travel in Japan", "negotiating a raise",
        "the stock market", "composting", "first aid", "the Roman Empire", "machine learning", "retirement savings",
        "public speaking", "vegetarian recipes", "moving to a new city", "dog training", "time management",
        "renewable energy", "writing a novel", "meditation", "the immune system", "chess openings",
    ]
    private static let questionForms = [
        "Can you explain %@ in simple terms?", "What are the most common mistakes people make with %@?",
        "I'm a complete beginner. Where should I start with %@?",
        "What's the difference between the main approaches to %@?",
        "Give me a few tips about %@.", "Is it worth spending money on %@?", "what should i know about %@",
        "Could you help me plan something around %@?", "Tell me something surprising about %@.",
        "How do experts think about %@?", "Why is %@ so hard to get right?", "Summarize the basics of %@ for me.",
    ]
    private static let followUps = [
        "Can you give me an example?", "Thanks! Can you make that shorter?", "What about for someone on a budget?",
        "Why is that?", "ok and what if that doesn't work", "Could you put that in a table?",
        "Can you explain the second point in more detail?", "That helps. What would you do first?",
        "Is there anything I should avoid?", "How long does that usually take?", "great, thanks",
        "Can you rewrite it in a friendlier tone?", "What are the risks?", "and for kids?",
    ]

    private static func chatPrompt(_ random: inout SimulationRandom) -> String {
        random.pick(questionForms).replacingOccurrences(of: "%@", with: random.pick(topics))
    }

    private static func dialogue(_ random: inout SimulationRandom) -> [String] {
        var turns = [chatPrompt(&random)]
        for _ in 0..<random.int(0...5) { turns.append(random.pick(followUps)) }
        return turns
    }

    // MARK: Instructions

    private static let verbs = [
        "Write", "Draft", "Compose", "Create", "Outline", "Describe", "Explain", "Compare", "Summarize", "Design",
        "Propose", "List", "Analyze", "Critique", "Plan",
    ]
    private static let forms = [
        "a short story", "a blog post", "an email", "a lesson plan", "a product description", "a poem", "a speech",
        "a FAQ", "a cover letter", "a study guide", "a press release", "a dialogue", "a checklist", "an essay",
        "a tweet thread", "a recipe", "a travel itinerary", "a workout plan", "a business proposal", "a limerick",
    ]
    private static let audiences = [
        "for high-school students", "for a busy manager", "for a five-year-old", "for new employees",
        "for retirees", "for a technical audience", "for social media", "for a local newspaper", "",
    ]

    private static func instruction(_ random: inout SimulationRandom) -> String {
        let topic = random.pick(topics)
        switch random.index(6) {
        case 0:
            return "\(random.pick(verbs)) \(random.pick(forms)) about \(topic) \(random.pick(audiences))."
                .replacingOccurrences(of: " .", with: ".")
        case 1:
            return "\(random.pick(["Compare", "Contrast", "Weigh"])) \(topic) and \(random.pick(topics)): "
                + "what do they have in common and how do they differ?"
        case 2:
            return "Give \(random.int(3...10)) \(random.pick(["ideas", "reasons", "examples", "arguments"])) "
                + "related to \(topic)."
        case 3: return "Rewrite the following sentence to be more formal:\n\n\(snippet(&random))"
        case 4: return "Classify the sentiment of this text as positive, negative or neutral:\n\n\(snippet(&random))"
        default: return chatPrompt(&random)
        }
    }

    // MARK: Passages and snippets

    private static let companyParts = (
        ["Blue", "North", "Silver", "Bright", "Cedar", "Harbor", "Summit", "Quiet"],
        ["field", "wave", "stone", "line", "path", "works", "point", "leaf"]
    )
    private static let cities = [
        "Lisbon", "Austin", "Osaka", "Nairobi", "Toronto", "Kraków", "Melbourne", "Bogotá", "Leeds", "Pune",
        "Denver", "Lyon", "Tallinn", "Monterrey",
    ]
    private static let industries = [
        "logistics", "solar equipment", "pet food", "accounting software", "bicycles", "medical imaging", "tea",
        "furniture", "language courses", "insurance",
    ]

    private static func companyName(_ random: inout SimulationRandom) -> String {
        random.pick(companyParts.0) + random.pick(companyParts.1)
    }

    private static func passage(_ random: inout SimulationRandom) -> String {
        let company = companyName(&random)
        let year = random.int(1890...2019)
        let city = random.pick(cities)
        return "\(company) is a \(random.pick(["family-owned", "publicly traded", "mid-sized", "cooperative"])) "
            + "\(random.pick(industries)) company founded in \(year) in \(city). It employs about "
            + "\(random.int(12...9_000)) people and operates in \(random.int(1...40)) countries. "
            + "In \(year + random.int(3...20)) it opened a second site in \(random.pick(cities)), and its best-known "
            + "product line accounts for roughly \(random.int(10...70)) percent of revenue. "
            + "The company's returns policy allows customers \(random.pick([14, 30, 60, 90])) days to return unused "
            + "items, and support is available \(random.pick(["on weekdays", "around the clock", "by email only"])). "
            + "\(snippet(&random))"
    }

    private static func passageQuestion(_ random: inout SimulationRandom) -> String {
        random.pick([
            "How many days do I have to return something?", "When was the company founded?",
            "Where is the second site?", "Is support available on weekends?", "How many people work there?",
            "What share of revenue comes from the main product line?", "Which countries do you ship to?",
            "Can I get a refund if I opened the box?", "who founded it",
            "do you have an office in \(random.pick(cities))?",
        ])
    }

    private static let adjectives = [
        "great", "terrible", "surprisingly good", "disappointing", "solid", "flimsy", "excellent", "average",
        "overpriced", "reliable", "confusing", "delightful",
    ]

    private static func snippet(_ random: inout SimulationRandom) -> String {
        switch random.index(4) {
        case 0:
            let arrival = random.pick(["on time", "late", "damaged", "early"])
            let verdict = random.pick([
                "Would buy again.", "Not worth it.", "Customer service was helpful.",
                "Returned it after a week.", "",
            ])
            return "The \(random.pick(items).0) arrived \(arrival) and the quality is \(random.pick(adjectives)). "
                + verdict
        case 1:
            let event = random.pick([
                "shares rose", "shares fell", "announced layoffs", "opened a plant", "won a contract",
            ])
            let cause = random.pick(["dominated talks", "made headlines", "drew criticism", "boosted demand"])
            return "\(companyName(&random)) \(event) in \(random.pick(cities)) after \(random.pick(topics)) \(cause)."
        case 2:
            let when = random.pick(["week", "month", "year"])
            return "I tried \(random.pick(topics)) last \(when) and it was \(random.pick(adjectives))."
        default:
            return "Researchers in \(random.pick(cities)) reported new findings on \(random.pick(topics)), "
                + "saying the results were \(random.pick(adjectives)) but needed more study."
        }
    }

    private static func answer(_ random: inout SimulationRandom) -> String {
        (0..<random.int(2...6)).map { _ in snippet(&random) }.joined(separator: " ")
    }

    private static func classifierTasks(_ random: inout SimulationRandom) -> [ClassifierTask] {
        [
            ClassifierTask(
                name: "news_topic", prompts: [], prefix: "",
                suffix: "\nIs this a piece of news regarding world politics, sports, business, or science "
                    + "and technology?\n",
                labels: ["World politics", "Sports", "Business", "Science and technology"]),
            ClassifierTask(
                name: "review_polarity", prompts: [], prefix: "Review: ",
                suffix: "\nIs the review positive or negative?\n", labels: ["Positive", "Negative"]),
            ClassifierTask(
                name: "ticket_priority", prompts: [],
                prefix: "Assign a priority (P1, P2, P3) to this support ticket.\n\nTicket: ",
                suffix: "\n\nPriority:", labels: ["P1", "P2", "P3"]),
            ClassifierTask(
                name: "intent", prompts: [],
                prefix: "Classify the customer's intent as one of: refund, shipping, account, other.\n\n"
                    + "Message: ",
                suffix: "\nIntent:", labels: ["refund", "shipping", "account", "other"]),
        ]
    }

    // MARK: Roleplay

    private struct Role {
        var article: String
        var name: String
        var duty: String
        var firstRequests: [String]
    }

    private static let roles: [Role] = [
        Role(
            article: "a", name: "travel guide",
            duty: "I will tell you my location and you will suggest places to visit nearby.",
            firstRequests: ["I am in Lisbon and want to see museums.", "I am in Osaka for two days."]),
        Role(
            article: "a", name: "Linux terminal",
            duty: "I will type commands and you will reply with what the terminal should show.",
            firstRequests: ["pwd", "ls -la"]),
        Role(
            article: "an", name: "English teacher", duty: "You will correct my grammar and suggest better phrasing.",
            firstRequests: ["Yesterday I have went to the store.", "Please check my cover letter."]),
        Role(
            article: "a", name: "career counselor", duty: "You will help me decide on a career based on my interests.",
            firstRequests: ["I like biology and computers.", "I want to leave accounting."]),
        Role(
            article: "a", name: "personal trainer", duty: "You will design workouts suited to my goals.",
            firstRequests: ["I want to run a 10k in two months.", "I have bad knees."]),
        Role(
            article: "a", name: "storyteller",
            duty: "You will come up with entertaining stories for the audience I name.",
            firstRequests: ["A story about perseverance for children.", "A mystery set on a train."]),
        Role(
            article: "a", name: "interviewer",
            duty: "I will be the candidate and you will ask me interview questions.",
            firstRequests: ["Hi, I'm applying for the data analyst role.", "Let's start."]),
        Role(
            article: "a", name: "chef", duty: "You will suggest recipes using the ingredients I have.",
            firstRequests: ["I have rice, eggs and spinach.", "Something vegan for four people."]),
        Role(
            article: "a", name: "debate coach", duty: "You will help me prepare arguments for both sides of a motion.",
            firstRequests: ["School uniforms should be abolished.", "Cities should ban cars downtown."]),
        Role(
            article: "a", name: "spreadsheet", duty: "You will reply only with the text-based spreadsheet.",
            firstRequests: ["Show me an empty sheet.", "Put 5 in A1 and =A1*2 in B1."]),
    ]
}
