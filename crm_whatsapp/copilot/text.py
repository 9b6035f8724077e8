"""Words as the local Copilot compares them: folded, stemmed, abbreviations spelled out.

Customers on WhatsApp write "vc", "pq", "qto custa", without accents and with
typos, while attendants write in full; a question and its paraphrase share
the meaning and few letters. So a text becomes *terms*: casefolded words
without accents, common abbreviations spelled out, Portuguese stopwords
dropped, each word reduced to its Snowball stem ("agendar", "agendamento" ->
"agend"). Stemming a folded word loses the nasal suffixes Snowball keys on
("declaracao" is not "declaração" to it), so the usual endings get their
accent back first. Stems are cached per word: a history of a million
messages has a few hundred thousand distinct words, each stemmed once.

``concepts`` adds the other half of paraphrase help: a small hand-written
thesaurus of what customers ask an office (price, schedule, delivery,
documents...), so "qto fica" and "qual o valor" meet on ``~preco`` even
though they share no word. It is vocabulary of customer service in
Brazilian Portuguese, not a list of this office's answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import snowballstemmer

# Letters and digits (Unicode), as the history's own search splits words.
_WORD = re.compile(r"[^\W_]+")

# What customers type, spelled out (keys and values folded; a value may be several words).
ABBREVIATIONS: dict[str, str] = {
    "vc": "voce",
    "vcs": "voces",
    "c": "voce",
    "pq": "porque",
    "pk": "porque",
    "tb": "tambem",
    "tbm": "tambem",
    "tmb": "tambem",
    "q": "que",
    "oq": "o que",
    "hj": "hoje",
    "amnh": "amanha",
    "td": "tudo",
    "tds": "todos",
    "obg": "obrigado",
    "obgd": "obrigado",
    "obgda": "obrigada",
    "brigado": "obrigado",
    "brigada": "obrigada",
    "vlw": "valeu",
    "blz": "beleza",
    "msg": "mensagem",
    "qto": "quanto",
    "qnto": "quanto",
    "qt": "quanto",
    "qdo": "quando",
    "qnd": "quando",
    "qndo": "quando",
    "dps": "depois",
    "cmg": "comigo",
    "ctg": "contigo",
    "n": "nao",
    "ñ": "nao",
    "naum": "nao",
    "p": "para",
    "pra": "para",
    "pro": "para o",
    "ta": "esta",
    "to": "estou",
    "eh": "e",
    "mto": "muito",
    "mt": "muito",
    "mta": "muita",
    "hr": "hora",
    "hrs": "horas",
    "info": "informacao",
    "infos": "informacoes",
    "tel": "telefone",
    "cel": "celular",
    "zap": "whatsapp",
    "wpp": "whatsapp",
    "whats": "whatsapp",
    "agr": "agora",
    "aki": "aqui",
    "aq": "aqui",
    "sab": "sabado",
    "qlq": "qualquer",
    "qq": "qualquer",
    "vdd": "verdade",
    "kd": "cade",
    "fds": "fim de semana",
    "dr": "doutor",
    "dra": "doutora",
    "sr": "senhor",
    "sra": "senhora",
    "nf": "nota fiscal",
    "nfe": "nota fiscal",
    "pfv": "por favor",
    "pf": "por favor",
    "pfvr": "por favor",
    "orc": "orcamento",
    "qria": "queria",
    "qro": "quero",
    "apto": "apartamento",
    "ap": "apartamento",
    "ape": "apartamento",
    "cond": "condominio",
    "docs": "documentos",
    "doc": "documento",
    "add": "adicionar",
}


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as text (one per space), for the lists below."""
    return frozenset(words.split())


# Portuguese stopwords, folded (NLTK's list, less the question words that carry
# what is asked: quando, onde, quanto, qual, como).
STOPWORDS = _wordset(
    """
    a ai ao aos aquela aquelas aquele aqueles aqui aquilo as assim ate com da das de dela
    delas dele deles depois do dos e ela elas ele eles em entao entre era eram essa essas
    esse esses esta estamos estao estas estava estavam este esteja estejam estes esteve
    estive estivemos estiver estivera estiveram estiverem estivermos estivesse estivessem
    estou eu foi fomos for fora foram forem formos fosse fossem fui gente ha haja hajam
    houve houver isso isto ja la lhe lhes mais mas me mesmo meu meus minha minhas muito na
    nao nas nem no nos nossa nossas nosso nossos num numa o os ou para pela pelas pelo pelos
    pois por porque que quem se seja sejam sem ser sera serao seria seriam seu seus sim so
    sobre somos sou sua suas tambem te tem temos tenha tenham tenho ter teu teus teve tinha
    tinham tipo tive tivemos tiver tiveram tu tua tuas um uma voce voces vos
    """
)

# Words that open or close a message whatever is asked; a query weighs them lightly.
COURTESY = _wordset(
    """
    ajuda bem boa bom consigo dia duvida favor gostaria informacao noite obrigada obrigado
    oi ola pode poderia preciso queria quero saber tarde tudo valeu como faco fazer faz qual
    quais
    """
)

# Words whose Snowball stem collides with an unrelated word's ("saber" and "sábado"
# are both "sab"): given their own stem.
STEM_EXCEPTIONS: dict[str, str] = {
    "sabado": "sabad",
    "sabados": "sabad",
}

# Folded endings that lost the accent Snowball's Portuguese suffixes need.
_REACCENT = (
    ("acoes", "ações"),
    ("icoes", "ições"),
    ("acao", "ação"),
    ("icao", "ição"),
    ("coes", "ções"),
    ("cao", "ção"),
    ("soes", "sões"),
    ("sao", "são"),
    ("oes", "ões"),
    ("aes", "ães"),
    ("ao", "ão"),
    ("iveis", "íveis"),
    ("aveis", "áveis"),
)

# The thesaurus: what a customer asks an office, in the words customers use for it.
# Each entry is a concept: single words, then ";"-separated phrases (written as people
# write them; they go through the same folding and stemming as any message).
THESAURUS: dict[str, str] = {
    # money
    "preco": "preço preços valor valores custa custam custo custar cobra cobram cobrar "
    "cobrado cobrança quanto quantos orçamento orçamentos tabela taxa taxas honorários caro "
    "cara barato barata investimento; quanto fica; quanto sai; quanto é; quanto pago",
    "pagamento": "pagar pagamento pagamentos pago paga pix cartão cartões crédito débito boleto "
    "dinheiro transferência depósito parcelar parcela parcelas parcelado parcelamento vezes "
    "dividir maquininha chave; à vista; forma de pagamento",
    "desconto": "desconto descontos promoção promoções cupom abatimento abatido negociar "
    "negociação; mais barato; à vista",
    "gratis": "grátis gratuito gratuita cortesia; de graça; sem custo; sem cobrar; não paga",
    # time and the agenda
    "agendar": "agendar agendamento marcar marcação agenda horário horários vaga vagas encaixe "
    "encaixar disponibilidade disponível consulta atendimento sessão avaliação",
    "remarcar": "remarcar reagendar adiar mudar alterar transferir trocar imprevisto; outro dia; "
    "outra data; outro horário",
    "cancelar": "cancelar cancelamento desmarcar desistir desistência faltar falta imprevisto; "
    "não vou poder; não vou conseguir; não posso ir",
    "funcionamento": "abre abrem abertos aberto aberta fecha fecham fechado funciona funcionam "
    "funcionamento expediente atendem sábado sábados domingo domingos feriado feriados; "
    "que horas; até que horas; fim de semana",
    "horario": "horário horários hora horas; que horas; a partir de que horas; que horário",
    "prazo": "prazo prazos demora demorar demorado demorando quando previsão tempo rápido "
    "urgente urgência dias data; quanto tempo; quantos dias; dias úteis; que dia",
    "inicio": "começar começa começam começo início iniciar inicia volta voltam voltar "
    "retorno estreia",
    # where
    "endereco": "endereço onde localização local localizado localizada rua avenida mapa bairro "
    "estacionamento estacionar aonde; como chego; como chegar; parar o carro",
    "presencial": "presencial presencialmente pessoalmente física físico balcão retirada retirar "
    "buscar; ao vivo; loja física",
    # shops
    "entrega": "entrega entregas entregar entregam enviar envio envia enviam mandar manda "
    "frete correios sedex transportadora chega chegar chegou rastreio rastrear rastreamento "
    "motoboy despacho despachar postado postar cadê",
    "pedido": "pedido pedidos encomenda encomendas compra comprei",
    "troca": "troca trocar devolução devolver reembolso estorno arrependimento; dinheiro de "
    "volta; mudar por",
    "tamanho": "tamanho tamanhos numeração número pequeno pequena grande maior menor apertado "
    "apertada largo larga",
    "roupa": "roupa roupas blusa blusas camiseta camisetas camisa calça calças vestido saia "
    "tênis sapato sapatos agasalho moletom bermuda uniforme",
    "estoque": "estoque disponível disponíveis cor cores modelo modelos reposição esgotado "
    "esgotou acabou sobrou restam unidades",
    "defeito": "barulho barulhos ruído problema problemas defeito defeituoso estragou estragado "
    "quebrou quebrado quebrada parou falha luz vazando vazamento esquentando rangendo rangido "
    "chiando chiado estalando; não liga; não pega; não funciona; veio errado",
    "garantia": "garantia garantido cobertura; de novo; voltou a dar",
    # papers and progress
    "documentos": "documento documentos documentação papel papéis levar trazer necessário "
    "necessários precisa rg cpf comprovante comprovantes certidão identidade xerox cópia cópias "
    "apresentar",
    "resultado": "resultado resultados laudo laudos pronto pronta retirar buscar pegar",
    "andamento": "andamento status situação novidade novidades notícia notícias atualização "
    "posição acompanhar retorno resposta movimentação; como está; como anda",
    "contato": "ligar ligação ligo telefone número celular whatsapp contato email; falar com",
    "pessoa": "atendente responsável doutor doutora advogado advogada contador contadora "
    "médico médica dentista gerente vendedor vendedora corretor corretora professor "
    "professora coordenação secretaria",
    "contrato": "contrato contratos assinar assinatura procuração cartório; reconhecer firma",
    # a clinic
    "convenio": "convênio convênios plano planos unimed amil bradesco sulamérica hapvida "
    "particular reembolso; sem convênio; sem plano",
    "exame": "exame exames coleta jejum preparo ultrassom raio sangue hemograma tomografia",
    "doenca": "doente doença febre gripe gripado gripada atestado dor vômito; passando mal",
    # an accounting office
    "imposto": "imposto impostos tributo tributos irpf iptu itbi",
    "imposto_renda": "irpf declaração declarar receita leão restituição malha informe informes "
    "rendimentos; imposto de renda",
    "empresa": "empresa empresas cnpj mei abrir abertura firma microempresa microempreendedor "
    "ltda simples encerrar baixa; contrato social",
    "nota": "nota notas fiscal fiscais emitir emissão recibo recibos",
    "guia": "guia guias das darf vencimento vence venceu vencida vencido atrasada atrasado "
    "atraso multa juros esqueci; em atraso; não paguei",
    "folha": "folha salário salários funcionário funcionária funcionários registro registrar "
    "admissão contratar contratação empregado empregada; pró labore; carteira assinada",
    # a law office
    "processo": "processo processos ação audiência juiz juíza sentença recurso petição causa "
    "processar indenização justiça julgamento fórum",
    "divorcio": "divórcio divorciar separação separar pensão guarda casamento casada casado "
    "marido esposa",
    "heranca": "inventário herança herdeiro herdeiros testamento partilha espólio faleceu "
    "falecimento falecido morreu óbito",
    "trabalhista": "trabalhista demitido demitida demissão rescisão verbas dispensado "
    "dispensada; justa causa; horas extras; mandou embora; mandaram embora",
    # a real-estate agency
    "aluguel": "aluguel aluguéis alugar alugo aluga alugou locação locar locatário inquilino "
    "alugado morar",
    "compra": "comprar compra venda vender vende anunciar anúncio entrada escritura itbi",
    "financiamento": "financiamento financiar financiado banco caixa; crédito imobiliário",
    "visita": "visita visitar visitação conhecer mostrar olhar; dar uma olhada; ver o imóvel; "
    "ver o apartamento; ver a casa",
    "garantia_locacao": "fiador fiadora garantidor caução; seguro fiança",
    "imovel": "imóvel imóveis apartamento apartamentos casa casas kitnet quitinete sala terreno "
    "sobrado cobertura quarto quartos dormitório dormitórios suíte garagem condomínio "
    "metragem",
    "animal": "pet pets animal animais cachorro cachorros cão cães gato gatos bicho",
    # a school
    "matricula": "matrícula matrículas matricular inscrição inscrever inscrições rematrícula "
    "vaga vagas série turma turmas",
    "mensalidade": "mensalidade mensalidades mensal anuidade; por mês; todo mês",
    "material": "material materiais lista uniforme uniformes apostila apostilas livro livros "
    "caderno cadernos kit",
    "aula": "aula aulas turno manhã tarde integral período entrada saída calendário férias recesso",
    "escola": "escola colégio estudar estuda estudo aluno aluna alunos filho filha filhos "
    "crianças criança",
    "transporte": "transporte van vans ônibus condução perua; leva e traz; buscar em casa",
    # a mechanic
    "revisao": "revisão manutenção óleo lubrificante filtro alinhamento balanceamento freio "
    "freios pastilha pastilhas pneu pneus suspensão embreagem bateria",
    "socorro": "guincho reboque rebocar pane socorro estrada; parou na estrada",
    "pronto": "pronto pronta terminou terminado concluído concluída liberado liberada buscar "
    "retirar pegar",
    # courtesy
    "agradecimento": "obrigado obrigada valeu agradeço grato grata",
    "saudacao": "oi olá; bom dia; boa tarde; boa noite",
}
_STEMMER = snowballstemmer.stemmer("portuguese")
_CACHE_LIMIT = 500_000
_cache: dict[str, tuple[str, ...]] = {}


def fold(text: str) -> str:
    """Casefolded, without accents ("Não É" -> "nao e"), as customers type."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_folded: dict[str, str] = {}


def folded_words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits), folded one by one through a cache."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        found = _folded.get(word)
        if found is None:
            if len(_folded) >= _CACHE_LIMIT:
                _folded.clear()
            found = _folded[word] = fold(word)
        out.append(found)
    return out


def words(text: str) -> list[str]:
    """The folded words of ``text``, abbreviations spelled out, nothing dropped."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        expanded = ABBREVIATIONS.get(word)
        if expanded is None:
            out.append(word)
        else:
            out += expanded.split()
    return out


def stem(word: str) -> str:
    """The stem of one folded word (endings re-accented so Snowball recognises them)."""
    if word in STEM_EXCEPTIONS:
        return STEM_EXCEPTIONS[word]
    for plain, accented in _REACCENT:
        if word.endswith(plain) and len(word) > len(plain) + 1:
            word = word[: -len(plain)] + accented
            break
    return fold(_STEMMER.stemWord(word))


# A stopword kept in a word sequence, for phrases ("não paga" is not "paga").
FUNCTION_MARK = "="
# What a concept term starts with (no stem does).
CONCEPT_PREFIX = "~"


def _terms_of_word(word: str) -> tuple[str, ...]:
    """One casefolded word as a sequence: its stems, stopwords marked (``=nao``), cached."""
    found = _cache.get(word)
    if found is None:
        folded = fold(word)
        found = tuple(
            FUNCTION_MARK + w if w in STOPWORDS else stem(w)
            for w in ABBREVIATIONS.get(folded, folded).split()
            if not w.isdigit()
        )
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[word] = found
    return found


def sequence(text: str) -> list[str]:
    """The words of ``text`` in order: stems, and stopwords marked ``=word`` for phrases.

    Words are split from the casefolded text and folded one by one through
    the cache, so a message costs a regular expression and a few lookups.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        out += _terms_of_word(word)
    return out


def content(words: Sequence[str]) -> list[str]:
    """A :func:`sequence` without its stopwords: the stems an index holds."""
    return [w for w in words if not w.startswith(FUNCTION_MARK)]


def tokens(text: str) -> list[str]:
    """The terms of ``text``: folded, stopwords out, Portuguese stems, in order."""
    return content(sequence(text))


def _build_thesaurus() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, ...], tuple[str, ...]]]:
    """Stem -> concepts, and word sequence -> concepts, from :data:`THESAURUS`.

    An entry is single words, then ``;``-separated phrases. A phrase keeps
    its stopwords ("não paga", "sem custo", "que horas"): without them it
    would be a single word meaning something else.
    """
    singles: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for concept, entry in THESAURUS.items():
        first, *rest = entry.split(";")
        for word in tokens(first):
            singles.setdefault(word, set()).add(concept)
        for phrase in rest:
            words = tuple(sequence(phrase))
            if len(words) == 1:
                singles.setdefault(words[0], set()).add(concept)
            elif words:
                phrases.setdefault(words, set()).add(concept)
    return (
        {k: tuple(sorted(v)) for k, v in singles.items()},
        {k: tuple(sorted(v)) for k, v in phrases.items()},
    )


_SINGLE_CONCEPTS, _PHRASE_CONCEPTS = _build_thesaurus()
# The same as index terms, and the phrases by their first word (a few per word at most).
_SINGLE_TERMS = {
    word: tuple(CONCEPT_PREFIX + c for c in named) for word, named in _SINGLE_CONCEPTS.items()
}
_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _phrase, _named in sorted(_PHRASE_CONCEPTS.items(), key=lambda item: -len(item[0])):
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(
        (_phrase, tuple(CONCEPT_PREFIX + c for c in _named))
    )


def thesaurus_words() -> frozenset[str]:
    """Every word the thesaurus is written with, folded (typos are corrected towards them)."""
    return frozenset(
        w for entry in THESAURUS.values() for w in folded_words(entry) if w not in STOPWORDS
    )


def word_terms(word: str) -> tuple[str, ...]:
    """One word's part of a :func:`sequence` (its stem, a marked stopword, an abbreviation's)."""
    return _terms_of_word(word.casefold())


def concepts(words: Sequence[str]) -> list[str]:
    """The thesaurus concepts a :func:`sequence` speaks of, each once, as terms (``~name``).

    Phrases first, longest first; a word inside a phrase speaks only through
    it ("quanto tempo" is a delay, not a price). A concept term never
    collides with a stem.
    """
    found: list[str] = []
    covered: set[int] = set()
    starts = _PHRASES_BY_FIRST
    for i, word in enumerate(words):
        if word in starts:
            for phrase, named in starts[word]:
                if tuple(words[i : i + len(phrase)]) == phrase:
                    found += named
                    covered.update(range(i, i + len(phrase)))
    singles = _SINGLE_TERMS
    for i, word in enumerate(words):
        if word in singles and i not in covered:
            found += singles[word]
    return list(dict.fromkeys(found))


def in_thesaurus(term: str) -> bool:
    """Whether a stem speaks of some concept of the thesaurus on its own."""
    return term in _SINGLE_CONCEPTS


def is_courtesy(term: str) -> bool:
    """Whether a stem is one of the greetings and politeness every message carries."""
    return term in _COURTESY_STEMS


_COURTESY_STEMS = frozenset(stem(w) for w in COURTESY)

# Distinctive words of each language (folded): a word both Portuguese and Spanish
# use ("que", "de", "una") votes for neither.
_LANGUAGE_WORDS: dict[str, frozenset[str]] = {
    "pt": _wordset(
        """
        voce voces vc vcs nao obrigado obrigada ola tudo bem meu minha quero gostaria pra
        para com um isso esse essa sao sim bom boa dia tarde noite quanto quando onde porque
        pq tambem tb tbm muito obg oi agora hoje amanha ainda ja preciso posso tem do da dos
        das no na nos nas ao pelo pela mas eu ele ela nos seu sua ate consigo queria vou
        fazer marcar horario consulta entrega valor
        """
    ),
    "es": _wordset(
        """
        usted ustedes hola gracias quiero necesito cuanto cuando donde porque el los las del
        al y muy pero es hay buenos buenas dias puedo tiene tengo mi yo senor senora ya
        tambien ahora aqui hoy manana cita precio quisiera hacer envio pedido estoy
        """
    ),
    "en": _wordset(
        """
        the you your is are i my what how when where hello hi thanks thank please can do does
        have want need price appointment today tomorrow and of to for with this that it be
        yes good morning evening would could will order delivery
        """
    ),
}
# Both Portuguese and Spanish lists would claim these: drop them from both.
_SHARED = _LANGUAGE_WORDS["pt"] & _LANGUAGE_WORDS["es"]
_LANGUAGE_WORDS = {k: v - _SHARED for k, v in _LANGUAGE_WORDS.items()}


def language_of(texts: str | Iterable[str]) -> str:
    """ "pt", "en" or "es" by a vote of distinctive words; "" when unsure.

    Unsure means no distinctive word at all, or a tie: a lone "ok" or an
    emoji says nothing, and the caller keeps its default.
    """
    joined = texts if isinstance(texts, str) else " ".join(texts)
    votes = dict.fromkeys(_LANGUAGE_WORDS, 0)
    for word in _WORD.findall(fold(joined)):
        for language, known in _LANGUAGE_WORDS.items():
            if word in known:
                votes[language] += 1
    ranked = sorted(votes.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top > 0 and top > second else ""
