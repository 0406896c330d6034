import Foundation

/// A prompt template with one `{base}` slot, split and escaped once.
struct PromptTemplate: Sendable {
    var prefix: JSONText
    var suffix: JSONText

    init(_ template: String) {
        let parts = template.components(separatedBy: "{base}")
        prefix = JSONText(parts[0])
        suffix = JSONText(parts.count > 1 ? parts[1...].joined() : "")
    }

    func apply(_ base: JSONText) -> JSONText { JSONText.join([prefix, base, suffix]) }
}

/// The text pools, escaped once for fast line writing, plus short answer previews for responses.
struct PreparedText: Sendable {
    let pools: TextPools
    let math: [JSONText]
    /// The unescaped text of `math`, for making new problems from old ones.
    let mathSource: [String]
    let code: [JSONText]
    let codingRequests: [JSONText]
    let dialogues: [[JSONText]]
    let chatPrompts: [JSONText]
    let roleplay: [JSONText]
    let instructions: [JSONText]
    let benchmark: [[JSONText]]
    let passages: [JSONText]
    let questions: [JSONText]
    let documents: [JSONText]
    let snippets: [JSONText]
    let followUps: [JSONText]
    /// Code stubs and coding requests together, without repeats.
    let codeTasks: [JSONText]
    /// Instructions and chat prompts together, without repeats.
    let openPrompts: [JSONText]
    /// The hydra's one prompt set: math, instructions and code, without repeats.
    let hydraPrompts: [JSONText]
    /// Few-shot chain-of-thought block built from the first eight worked examples (what eval harnesses prepend).
    let fewShotBlock: JSONText
    let judgeSystem: JSONText
    let judgePrompts: [JSONText]
    let judgeVerdicts: [JSONText]
    let classifierPrompts: [[JSONText]]
    let classifierLabels: [[JSONText]]

    // Response previews: the start of an answer, never the whole answer.
    let proseAnswers: [JSONText]
    let mathAnswers: [JSONText]
    let codeAnswers: [JSONText]
    let chatAnswers: [JSONText]

    init(pools: TextPools, seed: UInt64) {
        self.pools = pools
        var random = SimulationRandom(seed: seed, 0x9E7)
        // Distinct strings only: a harvester that never repeats itself must not be handed the same text twice.
        func escape(_ items: [String], limit: Int = 6_000) -> [JSONText] {
            var seen: Set<String> = []
            return items.compactMap { item in
                let text = item.count > limit ? String(item.prefix(limit)) : item
                return seen.insert(text).inserted ? JSONText(text) : nil
            }
        }
        var seenMath: Set<String> = []
        mathSource = pools.mathProblems.filter { seenMath.insert($0).inserted }
        math = mathSource.map { JSONText($0) }
        code = escape(pools.codeProblems)
        codingRequests = escape(pools.codingRequests, limit: 2_500)
        dialogues = pools.dialogues.map { $0.prefix(8).map { JSONText(String($0.prefix(1_500))) } }
        chatPrompts = escape(pools.chatPrompts, limit: 2_500)
        roleplay = escape(pools.roleplayPrompts, limit: 2_000)
        instructions = escape(pools.instructions, limit: 2_500)
        benchmark = pools.benchmarkQuestions.map { $0.map { JSONText(String($0.prefix(2_000))) } }
        passages = escape(pools.passages, limit: 1_400)
        questions = escape(pools.questions, limit: 600)
        documents = escape(pools.documents, limit: 4_500)
        snippets = escape(pools.snippets, limit: 600)
        followUps = escape([
            "Can you give me an example?", "Thanks! Can you make that shorter?", "Why is that?",
            "ok and what if that doesn't work", "Could you put that in a table?", "great, thanks",
            "Can you explain the second point in more detail?", "What are the risks?", "hmm, are you sure?",
            "Can you rewrite it in a friendlier tone?", "What would you do first?", "and in practice?",
        ])
        let shots = pools.workedExamples.prefix(8).map { "Q: \($0.question)\nA: \($0.answer)\n\n" }.joined()
        fewShotBlock = JSONText(shots)
        codeTasks = escape(pools.codeProblems + pools.codingRequests, limit: 2_500)
        openPrompts = escape(pools.instructions + pools.chatPrompts, limit: 2_500)
        hydraPrompts = escape(pools.mathProblems + pools.instructions + pools.codeProblems, limit: 2_500)

        judgeSystem = JSONText(pools.judgeSystemPrompt)
        judgePrompts = pools.judgeItems.map { item in
            // Candidate answers are cut to keep prompts at the size judges actually send after truncation.
            JSONText(
                pools.judgeTemplate
                    .replacingOccurrences(of: "{instruction}", with: String(item.instruction.prefix(1_200)))
                    .replacingOccurrences(of: "{output_1}", with: String(item.firstOutput.prefix(900)))
                    .replacingOccurrences(of: "{output_2}", with: String(item.secondOutput.prefix(900))))
        }
        judgeVerdicts =
            pools.judgeTemplate.contains("m or M")
            ? [JSONText("m"), JSONText("M")]
            : [JSONText("a"), JSONText("b")]
        classifierPrompts = pools.classifierTasks.map { task in
            var prompts = escape(task.prompts, limit: 2_500)
            // Batch jobs classify a stream of new inputs: continue the template over other short texts.
            let prefix = JSONText(task.prefix), suffix = JSONText(task.suffix)
            for snippet in pools.snippets.prefix(8_000) {
                prompts.append(JSONText.join([prefix, JSONText(String(snippet.prefix(600))), suffix]))
            }
            return prompts
        }
        classifierLabels = pools.classifierTasks.map { escape($0.labels) }

        let sentences = pools.snippets.isEmpty ? ["Here is an overview of the main points."] : pools.snippets
        proseAnswers = (0..<300).map { _ in
            let count = random.int(1...3)
            let body = (0..<count).map { _ in String(random.pick(sentences).prefix(280)) }.joined(separator: " ")
            let opener = random.pick(["", "Sure! ", "Great question. ", "Here's an overview:\n\n", "## Overview\n\n"])
            return JSONText(opener + body)
        }
        mathAnswers =
            pools.workedExamples.map { JSONText(String($0.answer.prefix(700))) }
            + [JSONText("Let me work through this carefully.\n\nFirst, identify what is given.")]
        codeAnswers = pools.codeProblems.prefix(200).map { stub in
            JSONText("```python\n" + String(stub.prefix(450)) + "    result = []\n    # handle the empty case first\n")
        }
        chatAnswers = (0..<200).map { _ in JSONText(String(random.pick(sentences).prefix(400))) }
    }

    func classifierLabel(task: Int, _ random: inout SimulationRandom) -> JSONText {
        let labels = classifierLabels[task]
        return labels.isEmpty ? JSONText("Other") : random.pick(labels)
    }
}

/// Evol-Instruct style rewrites a harvester applies to seed instructions to multiply them.
enum Mutations {
    static let instruction: [PromptTemplate] = [
        "{base}",
        "{base}\n\nAdd one more requirement: the answer must include a concrete example.",
        "{base}\n\nPlease answer in Spanish.",
        "{base} Explain it twice: once for a beginner and once for an expert.",
        "Answer the following, and make sure to cover edge cases and exceptions as well: {base}",
        "{base}\n\nAlso compare at least three alternatives in a table.",
        "{base} Keep each paragraph under 80 words.",
        "{base} Include common misconceptions and why they are wrong.",
        "{base}\n\nRespond in French.",
        "Consider the task below, then solve a harder version of it with one additional constraint.\n\n{base}",
        "{base} Justify every claim you make.",
        "{base} Structure the answer with headings and a summary at the end.",
        "Imagine you are advising a small business owner. {base}",
        "{base} Assume the reader has no background in the subject.",
        "{base}\n\nThen list three follow-up questions a curious student might ask, and answer each.",
        "{base}\n\n请用中文回答。",
        "Rewrite this request to be more specific, then answer your rewritten version:\n\n{base}",
        "{base} Give the answer as a numbered list.",
    ].map(PromptTemplate.init)

    static let languages = ["Python", "Rust", "Go", "TypeScript", "Java", "C++", "C#", "Kotlin", "Swift", "Ruby"]

    /// Rewrites of a coding task, most of them once per target language.
    static let code: [PromptTemplate] = {
        let general = [
            "{base}",
            "Complete the following function.\n\n```python\n{base}```",
            "{base}\n\nAlso explain the time and space complexity.",
            "Complete the function below, then write five test cases covering edge cases.\n\n```python\n{base}```",
            "{base}\n\nOptimise it for very large inputs and explain the trade-offs.",
            "{base}\n\nProvide two different implementations and compare them.",
        ]
        let perLanguage = [
            "Implement the following in {language}, with tests:\n\n{base}",
            "Write it in idiomatic {language} and add thorough comments:\n\n{base}",
            "Translate this to {language} and explain each design choice:\n\n{base}",
            "{base}\n\nGive a {language} version as well, with error handling.",
            "Solve this in {language}. Walk through the algorithm before the code.\n\n{base}",
        ]
        let expanded = perLanguage.flatMap { template in
            languages.map { template.replacingOccurrences(of: "{language}", with: $0) }
        }
        return (general + expanded).map(PromptTemplate.init)
    }()

    static let math: [PromptTemplate] = [
        "{base}",
        "{base}\n\nThen verify your answer by a second method.",
        "Solve: {base}",
        "{base}\n\nExplain which quantities are given and which are unknown before solving.",
        "Problem: {base}\nSolution:",
    ].map(PromptTemplate.init)

    /// A new problem of the same shape: every number replaced by a nearby one.
    static func perturbNumbers(_ text: String, _ random: inout SimulationRandom) -> String {
        var result = ""
        var digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            let value = Int(digits) ?? 1
            result += String(max(1, value + random.int(1...max(2, value / 3 + 2)) * (random.chance(0.5) ? 1 : -1)))
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}

/// The k-th distinct prompt of an account: walks a shuffled base pool, then moves to the next mutation, so no prompt
/// repeats until `bases × mutations` have been sent.
struct DistinctPromptSequence: Sendable {
    let bases: [JSONText]
    let mutations: [PromptTemplate]
    let order: [Int]
    let mutationOffset: Int

    init(bases: [JSONText], mutations: [PromptTemplate], random: inout SimulationRandom) {
        self.bases = bases
        self.mutations = mutations
        order = random.shuffled(Array(bases.indices))
        mutationOffset = random.index(max(1, mutations.count))
    }

    func prompt(_ position: Int) -> JSONText {
        let base = bases[order[position % order.count]]
        let mutation = mutations[(position / order.count + mutationOffset) % mutations.count]
        return mutation.apply(base)
    }
}
