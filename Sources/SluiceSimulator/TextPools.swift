import Foundation

/// A classification or extraction task run by a batch job: one fixed template around a stream of inputs.
struct ClassifierTask: Sendable {
    var name: String
    /// Complete prompts as they appear in the source (used first, in order).
    var prompts: [String]
    /// The template skeleton, to wrap further inputs once `prompts` are used up.
    var prefix: String
    var suffix: String
    var labels: [String]
}

/// One item for a pairwise LLM judge: an instruction and two candidate answers.
struct JudgeItem: Sendable {
    var instruction: String
    var firstOutput: String
    var secondOutput: String
}

/// Every kind of text the personas draw from. Benign and attack personas share these pools on purpose: what tells them
/// apart is repetition, parameters, timing and scale, never the wording.
struct TextPools: Sendable {
    var mathProblems: [String] = []
    /// Worked examples (question, reasoning ending in the answer) for few-shot chain-of-thought prompts.
    var workedExamples: [(question: String, answer: String)] = []
    /// Python function stubs with docstrings.
    var codeProblems: [String] = []
    /// Natural-language requests about code.
    var codingRequests: [String] = []
    /// Human turns of multi-turn conversations.
    var dialogues: [[String]] = []
    var chatPrompts: [String] = []
    /// "I want you to act as ..." prompts.
    var roleplayPrompts: [String] = []
    var instructions: [String] = []
    /// Benchmark questions of one or two turns.
    var benchmarkQuestions: [[String]] = []
    var classifierTasks: [ClassifierTask] = []
    var passages: [String] = []
    var questions: [String] = []
    /// Long texts for summarisation.
    var documents: [String] = []
    var judgeItems: [JudgeItem] = []
    /// Judge template with `{instruction}`, `{output_1}`, `{output_2}` placeholders.
    var judgeTemplate: String = ""
    var judgeSystemPrompt: String = ""
    /// Short free-text units (sentences, reviews, headlines) to fill templates with.
    var snippets: [String] = []

    /// Builds pools from a corpora folder (laid out like `shared/data`), filling any pool that came out empty from the
    /// built-in generator so that a partial folder still works.
    static func load(corpora: URL?, seed: UInt64) -> TextPools {
        let builtIn = BuiltInText.pools(seed: seed)
        guard let corpora else { return builtIn }
        var pools = CorporaLoader(root: corpora).load()
        pools.fillEmpty(from: builtIn)
        return pools
    }

    mutating func fillEmpty(from other: TextPools) {
        if mathProblems.isEmpty { mathProblems = other.mathProblems }
        if workedExamples.count < 8 { workedExamples = other.workedExamples }
        if codeProblems.isEmpty { codeProblems = other.codeProblems }
        if codingRequests.count < 20 { codingRequests += other.codingRequests }
        if dialogues.isEmpty { dialogues = other.dialogues }
        if chatPrompts.isEmpty { chatPrompts = other.chatPrompts }
        if roleplayPrompts.isEmpty { roleplayPrompts = other.roleplayPrompts }
        if instructions.isEmpty { instructions = other.instructions }
        if benchmarkQuestions.isEmpty { benchmarkQuestions = other.benchmarkQuestions }
        if classifierTasks.isEmpty { classifierTasks = other.classifierTasks }
        if passages.isEmpty { passages = other.passages }
        if questions.isEmpty { questions = other.questions }
        if documents.isEmpty { documents = other.documents }
        if judgeItems.isEmpty { judgeItems = other.judgeItems }
        if judgeTemplate.isEmpty {
            judgeTemplate = other.judgeTemplate
            judgeSystemPrompt = other.judgeSystemPrompt
        }
        if snippets.isEmpty { snippets = other.snippets }
    }
}

/// Reads the public corpora. Every source is optional: a missing or unreadable file just leaves its pool empty.
struct CorporaLoader {
    let root: URL

    func load() -> TextPools {
        var pools = TextPools()
        loadMath(into: &pools)
        loadCode(into: &pools)
        loadConversations(into: &pools)
        loadInstructions(into: &pools)
        loadTemplates(into: &pools)
        loadJudge(into: &pools)
        return pools
    }

    // MARK: Sources

    private func loadMath(into pools: inout TextPools) {
        for name in ["test", "train"] {
            for object in jsonLines("gsm8k/\(name).jsonl") {
                guard let question = object["question"] as? String else { continue }
                pools.mathProblems.append(question)
                if name == "train", pools.workedExamples.count < 64, let answer = object["answer"] as? String {
                    pools.workedExamples.append((question, Self.cleanWorkedAnswer(answer)))
                }
            }
        }
    }

    private func loadCode(into pools: inout TextPools) {
        for object in jsonLines(gzippedText("human-eval/HumanEval.jsonl.gz")) {
            if let prompt = object["prompt"] as? String { pools.codeProblems.append(prompt) }
        }
        for row in csvRows("awesome-chatgpt-prompts/prompts.csv").dropFirst() where row.count >= 2 {
            let prompt = row[1]
            pools.roleplayPrompts.append(prompt)
            if row.count >= 3, row[2].uppercased() == "TRUE" { pools.codingRequests.append(prompt) }
        }
    }

    private func loadConversations(into pools: inout TextPools) {
        for object in jsonLines(gzippedText("hh-rlhf/harmless-base_test.jsonl.gz")) {
            guard let chosen = object["chosen"] as? String else { continue }
            let turns = chosen.components(separatedBy: "\n\nHuman: ").dropFirst().compactMap { segment in
                let human = segment.components(separatedBy: "\n\nAssistant: ")[0]
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return human.isEmpty ? nil : human
            }
            if !turns.isEmpty { pools.dialogues.append(Array(turns)) }
        }
        for object in jsonLines("koala-test-set/koala_test_set.jsonl") {
            if let prompt = object["prompt"] as? String {
                pools.chatPrompts.append(prompt)
                pools.questions.append(prompt)
            }
        }
        for name in ["mt_bench_question", "vicuna_bench_question"] {
            for object in jsonLines("fastchat/\(name).jsonl") {
                if let turns = object["turns"] as? [String], !turns.isEmpty {
                    pools.benchmarkQuestions.append(turns)
                    pools.chatPrompts.append(turns[0])
                }
            }
        }
    }

    private func loadInstructions(into pools: inout TextPools) {
        for name in ["seed_tasks", "user_oriented_instructions"] {
            for object in jsonLines("self-instruct/\(name).jsonl") {
                guard let instruction = object["instruction"] as? String else { continue }
                let instances = object["instances"] as? [[String: Any]] ?? []
                let input = (instances.first?["input"] as? String) ?? ""
                let text = input.isEmpty ? instruction : instruction + "\n\n" + input
                pools.instructions.append(text)
                if let output = instances.first?["output"] as? String, output.count > 40 {
                    pools.snippets.append(output)
                }
            }
        }
        pools.instructions += pools.chatPrompts
        let codeCue = try? NSRegularExpression(
            pattern: "\\b(code|function|python|javascript|sql|program|script|regex|bug|java|html|css|api|algorithm)\\b",
            options: [.caseInsensitive])
        for text in pools.instructions + pools.chatPrompts {
            let range = NSRange(text.startIndex..., in: text)
            if codeCue?.firstMatch(in: text, range: range) != nil { pools.codingRequests.append(text) }
        }
    }

    private func loadTemplates(into pools: inout TextPools) {
        let folder = "self-instruct/t0_train_50k_data_per_template/"
        let classifiers: [(file: String, prefix: String, suffix: String, labels: [String])] = [
            (
                "ag_news_classify_with_choices", "",
                "\nIs this a piece of news regarding world politics, sports, business, or science and technology?\n",
                ["World politics", "Sports", "Business", "Science and technology"]
            ),
            (
                "amazon_polarity_Is_this_review", "Title: Customer feedback\nReview: ",
                "\nIs the review positive or negative?\n", ["Positive", "Negative"]
            ),
            (
                "app_reviews_convert_to_star_rating",
                "What would be the ★-rating of this review (★ being the lowest and ★★★★★ being the highest)? "
                    + "\"",
                "\"\n", ["★", "★★", "★★★", "★★★★", "★★★★★"]
            ),
            (
                "trec_fine_grained_open", "What is this question asking for?\n\n", "\n",
                ["Definition", "Individual", "Date", "City", "Other number"]
            ),
        ]
        for spec in classifiers {
            let prompts = jsonLines(folder + spec.file + ".jsonl").compactMap { $0["prompt"] as? String }
            if prompts.isEmpty { continue }
            pools.classifierTasks.append(
                ClassifierTask(
                    name: spec.file, prompts: prompts, prefix: spec.prefix, suffix: spec.suffix,
                    labels: spec.labels))
        }
        for object in jsonLines(folder + "adversarial_qa_dbert_based_on.jsonl") {
            guard let prompt = object["prompt"] as? String else { continue }
            if let context = prompt.components(separatedBy: "Context: ").last, context.count > 80 {
                pools.passages.append(context)
                pools.snippets += context.components(separatedBy: ". ").filter { $0.count > 60 }.prefix(3)
            }
            if let question = prompt.components(separatedBy: "Question: ").dropFirst().first?
                .components(separatedBy: "\n").first
            {
                pools.questions.append(question)
            }
        }
        for object in jsonLines(folder + "wiki_bio_key_content.jsonl") {
            if let prompt = object["prompt"] as? String, let bio = prompt.components(separatedBy: "Bio: ").last {
                pools.passages.append(bio)
            }
        }
        for object in jsonLines(folder + "kilt_tasks_hotpotqa_straighforward_qa.jsonl") {
            if let prompt = object["prompt"] as? String {
                pools.questions.append(prompt.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    private func loadJudge(into pools: inout TextPools) {
        let strong = jsonArray("alpaca_eval/results/gpt4/model_outputs.json")
        let weak = jsonArray("alpaca_eval/results/text_davinci_003/model_outputs.json")
        for (position, item) in strong.enumerated() {
            guard let instruction = item["instruction"] as? String, let output = item["output"] as? String else {
                continue
            }
            pools.instructions.append(instruction)
            pools.chatPrompts.append(instruction)
            if output.count > 1_200 { pools.documents.append(String(output.prefix(4_000))) }
            let other = position < weak.count ? (weak[position]["output"] as? String ?? "") : ""
            pools.judgeItems.append(JudgeItem(instruction: instruction, firstOutput: output, secondOutput: other))
        }
        // Sentences of the reference answers: new inputs for the batch classifiers' templates.
        for item in strong + weak where pools.snippets.count < 8_000 {
            guard let output = item["output"] as? String else { continue }
            for sentence in output.components(separatedBy: CharacterSet(charactersIn: "\n.!?")) {
                let trimmed = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
                if (60...300).contains(trimmed.count) { pools.snippets.append(trimmed + ".") }
            }
        }
        let templatePath =
            "alpaca_eval/src/alpaca_eval/evaluators_configs/alpaca_eval_clf_gpt4_turbo/"
            + "alpaca_eval_clf.txt"
        if let template = text(templatePath),
            let system = template.components(separatedBy: "<|im_start|>system\n").dropFirst().first?
                .components(separatedBy: "<|im_end|>").first,
            let user = template.components(separatedBy: "<|im_start|>user\n").dropFirst().first?
                .components(separatedBy: "<|im_end|>").first
        {
            pools.judgeSystemPrompt = system.trimmingCharacters(in: .whitespacesAndNewlines)
            pools.judgeTemplate = user
        }
        // Long documents also come from concatenated biographies and passages.
        var passageIndex = 0
        while passageIndex + 4 < pools.passages.count, pools.documents.count < 400 {
            pools.documents.append(pools.passages[passageIndex..<(passageIndex + 4)].joined(separator: "\n\n"))
            passageIndex += 4
        }
    }

    // MARK: File helpers

    private func text(_ relativePath: String) -> String? {
        let url = root.appendingPathComponent(relativePath)
        guard let data = try? Data(contentsOf: url) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    private func jsonLines(_ relativePath: String) -> [[String: Any]] {
        jsonLines(text(relativePath))
    }

    private func jsonLines(_ content: String?) -> [[String: Any]] {
        guard let content else { return [] }
        return content.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    private func jsonArray(_ relativePath: String) -> [[String: Any]] {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(relativePath)) else { return [] }
        return ((try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]]) ?? []
    }

    /// Decompresses with the system gzip: Foundation on Linux has no gzip decoder.
    private func gzippedText(_ relativePath: String) -> String? {
        let file = root.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let candidates = ["/bin/gzip", "/usr/bin/gzip"]
        guard let gzip = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-dc", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // Read before waiting so a full pipe cannot deadlock the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// RFC 4180 rows: quoted fields may hold commas, doubled quotes and newlines.
    private func csvRows(_ relativePath: String) -> [[String]] {
        guard let content = text(relativePath) else { return [] }
        var rows: [[String]] = []
        var row: [String] = []
        var field: [Character] = []
        var quoted = false
        var characters = content.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let following = characters.next()
                    if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(String(field)); field = []
            } else if character == "\n" || character == "\r\n" {
                row.append(String(field)); field = []
                rows.append(row); row = []
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(field)); rows.append(row) }
        return rows
    }

    /// GSM8K answers carry calculator annotations (`<<3*4=12>>`) and end with `#### 12`.
    static func cleanWorkedAnswer(_ answer: String) -> String {
        var cleaned = answer.replacingOccurrences(of: "<<[^>]*>>", with: "", options: .regularExpression)
        if let marker = cleaned.range(of: "#### ") {
            let final = cleaned[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
            cleaned =
                cleaned[..<marker.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
                + " The answer is \(final)."
        }
        return cleaned
    }
}
