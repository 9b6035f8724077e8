<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR" sourcelanguage="pt_BR">
<context>
    <name>Activity</name>
    <message>
        <location filename="../../crm_whatsapp/ui/activity.py" line="+39"/>
        <source>Adiada até {0}</source>
        <translation>Adiada até {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adiada</source>
        <translation>Adiada</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aberta</source>
        <translation>Aberta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pendente</source>
        <translation>Pendente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolvida</source>
        <translation>Resolvida</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{0} removeu a atribuição</source>
        <translation>{0} removeu a atribuição</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} assumiu a conversa</source>
        <translation>{0} assumiu a conversa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} atribuiu a {1}</source>
        <translation>{0} atribuiu a {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} transferiu para {1}</source>
        <translation>{0} transferiu para {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} transferiu de {1} para {2}</source>
        <translation>{0} transferiu de {1} para {2}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} resolveu a conversa</source>
        <translation>{0} resolveu a conversa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} marcou como pendente</source>
        <translation>{0} marcou como pendente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} adiou até {1}</source>
        <translation>{0} adiou até {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} reabriu a conversa</source>
        <translation>{0} reabriu a conversa</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0} adicionou a etiqueta {1}</source>
        <translation>{0} adicionou a etiqueta {1}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} removeu a etiqueta {1}</source>
        <translation>{0} removeu a etiqueta {1}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Alguém</source>
        <translation>Alguém</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} alterou a conversa</source>
        <translation>{0} alterou a conversa</translation>
    </message>
</context>
<context>
    <name>AttachDialog</name>
    <message>
        <location filename="../../crm_whatsapp/domain/attachments.py" line="+41"/>
        <source>O arquivo está vazio e não será enviado.</source>
        <translation>O arquivo está vazio e não será enviado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Não foi possível ler este arquivo; ele não será enviado.</source>
        <translation>Não foi possível ler este arquivo; ele não será enviado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita fotos de até 5 MB; esta não será enviada.</source>
        <translation>A Meta só aceita fotos de até 5 MB; esta não será enviada.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita vídeos de até 16 MB; este não será enviado.</source>
        <translation>A Meta só aceita vídeos de até 16 MB; este não será enviado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita áudios de até 16 MB; este não será enviado.</source>
        <translation>A Meta só aceita áudios de até 16 MB; este não será enviado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita documentos de até 100 MB; este não será enviado.</source>
        <translation>A Meta só aceita documentos de até 100 MB; este não será enviado.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta só aceita fotos JPEG ou PNG; esta não será enviada.</source>
        <translation>A Meta só aceita fotos JPEG ou PNG; esta não será enviada.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta só aceita vídeos MP4 ou 3GP; este não será enviado.</source>
        <translation>A Meta só aceita vídeos MP4 ou 3GP; este não será enviado.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta só aceita áudios AAC, AMR, MP3, M4A ou OGG; este não será enviado.</source>
        <translation>A Meta só aceita áudios AAC, AMR, MP3, M4A ou OGG; este não será enviado.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/attach_dialog.py" line="+124"/>
        <source>Remover este arquivo</source>
        <translation>Remover este arquivo</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Enviar arquivos</source>
        <translation>Enviar arquivos</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enviar</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Adicione uma legenda…</source>
        <translation>Adicione uma legenda…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Áudios são enviados sem legenda.</source>
        <translation>Áudios são enviados sem legenda.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0} arquivo(s) para enviar</source>
        <translation>{0} arquivo(s) para enviar</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{0} de {1} arquivo(s) serão enviados</source>
        <translation>{0} de {1} arquivo(s) serão enviados</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Não foi possível ler o arquivo {0}.</source>
        <translation>Não foi possível ler o arquivo {0}.</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <location filename="../../crm_whatsapp/audit.py" line="+43"/>
        <source>Exportação de contato</source>
        <translation>Exportação de contato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclusão de contato</source>
        <translation>Exclusão de contato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave de recuperação exibida</source>
        <translation>Chave de recuperação exibida</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Histórico aberto com a chave de recuperação</source>
        <translation>Histórico aberto com a chave de recuperação</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plugin de CRM ligado</source>
        <translation>Plugin de CRM ligado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plugin de CRM desligado</source>
        <translation>Plugin de CRM desligado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuração de plugin alterada</source>
        <translation>Configuração de plugin alterada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversa atribuída</source>
        <translation>Conversa atribuída</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversa transferida</source>
        <translation>Conversa transferida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversa sem responsável</source>
        <translation>Conversa sem responsável</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Data e hora</source>
        <translation>Data e hora</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ação</source>
        <translation>Ação</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quem</source>
        <translation>Quem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sobre</source>
        <translation>Sobre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detalhe</source>
        <translation>Detalhe</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/audit_settings.py" line="+66"/>
        <source>Tudo</source>
        <translation>Tudo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exportações</source>
        <translation>Exportações</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exclusões de contato</source>
        <translation>Exclusões de contato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave de recuperação</source>
        <translation>Chave de recuperação</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plugins de CRM</source>
        <translation>Plugins de CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Atribuições e transferências</source>
        <translation>Atribuições e transferências</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Exportar CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Data e hora</source>
        <translation>Data e hora</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ação</source>
        <translation>Ação</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quem</source>
        <translation>Quem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sobre</source>
        <translation>Sobre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detalhe</source>
        <translation>Detalhe</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nada registrado ainda.</source>
        <translation>Nada registrado ainda.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Mostrar:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Exportações, exclusões, chaves de recuperação, plugins e atribuições, de todos os computadores do escritório; nunca o texto das mensagens.</source>
        <translation>Exportações, exclusões, chaves de recuperação, plugins e atribuições, de todos os computadores do escritório; nunca o texto das mensagens.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Não foi possível ler o registro de auditoria agora.</source>
        <translation>Não foi possível ler o registro de auditoria agora.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ainda não enviado ao relay.</source>
        <translation>Ainda não enviado ao relay.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exportar auditoria</source>
        <translation>Exportar auditoria</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Planilha CSV (*.csv)</source>
        <translation>Planilha CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta.</source>
        <translation>Não foi possível salvar o arquivo; escolha outra pasta.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Registro salvo em {0}.</source>
        <translation>Registro salvo em {0}.</translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <location filename="../../crm_whatsapp/ui/delegates/bubble.py" line="+64"/>
        <source>Foto</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figurinha</source>
        <translation>Figurinha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Áudio</source>
        <translation>Áudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Localização</source>
        <translation>Localização</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato</source>
        <translation>Contato</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Foto do cabeçalho</source>
        <translation>Foto do cabeçalho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo do cabeçalho</source>
        <translation>Vídeo do cabeçalho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento do cabeçalho</source>
        <translation>Documento do cabeçalho</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>uma edição de mensagem</source>
        <translation>uma edição de mensagem</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>uma enquete</source>
        <translation>uma enquete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>uma mídia de visualização única</source>
        <translation>uma mídia de visualização única</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>um vídeo circular</source>
        <translation>um vídeo circular</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>um evento</source>
        <translation>um evento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>um álbum de fotos</source>
        <translation>um álbum de fotos</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Resposta de botão</source>
        <translation>Resposta de botão</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mensagem do tipo {0}</source>
        <translation>Mensagem do tipo {0}</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Modelo «{0}»</source>
        <translation>Modelo «{0}»</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>O cliente enviou algo que o WhatsApp não repassa: {0}.</source>
        <translation>O cliente enviou algo que o WhatsApp não repassa: {0}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O cliente enviou um tipo de mensagem não suportado.</source>
        <translation>O cliente enviou um tipo de mensagem não suportado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Peça que reenvie de outra forma (texto, foto ou documento).</source>
        <translation>Peça que reenvie de outra forma (texto, foto ou documento).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Editada; o texto original não está no histórico.</source>
        <translation>Editada; o texto original não está no histórico.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Editada. Original: {0}</source>
        <translation>Editada. Original: {0}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Encaminhada</source>
        <translation>Encaminhada</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Mensagem apagada</source>
        <translation>Mensagem apagada</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Abrir no mapa</source>
        <translation>Abrir no mapa</translation>
    </message>
    <message>
        <location line="+426"/>
        <source>Prévia indisponível</source>
        <translation>Prévia indisponível</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/composer.py" line="+240"/>
        <source>Cancelar resposta</source>
        <translation>Cancelar resposta</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mais de 24 horas desde a última mensagem do cliente: a Meta só permite modelos aprovados até ele responder.</source>
        <translation>Mais de 24 horas desde a última mensagem do cliente: a Meta só permite modelos aprovados até ele responder.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escolher modelo…</source>
        <translation>Escolher modelo…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Digite uma mensagem (/ para respostas rápidas)</source>
        <translation>Digite uma mensagem (/ para respostas rápidas)</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Anexar arquivo</source>
        <translation>Anexar arquivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar modelo aprovado</source>
        <translation>Enviar modelo aprovado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar (Enter)</source>
        <translation>Enviar (Enter)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emojis</source>
        <translation>Emojis</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gravar mensagem de voz</source>
        <translation>Gravar mensagem de voz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelar gravação</source>
        <translation>Cancelar gravação</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar mensagem de voz</source>
        <translation>Enviar mensagem de voz</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Janela de 24 horas fechada: envie um modelo.</source>
        <translation>Janela de 24 horas fechada: envie um modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+41"/>
        <source>Respondendo a: {0}</source>
        <translation>Respondendo a: {0}</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>● Gravando {0}:{1:02d}</source>
        <translation>● Gravando {0}:{1:02d}</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+118"/>
        <source>Conectar ao relay</source>
        <translation>Conectar ao relay</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Informe o endereço do relay do escritório e o código de ativação que o administrador gerou para este computador.</source>
        <translation>Informe o endereço do relay do escritório e o código de ativação que o administrador gerou para este computador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>https://relay.seuescritorio.com.br</source>
        <translation>https://relay.seuescritorio.com.br</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>É o nome que os colegas veem como autor das mensagens e responsável.</source>
        <translation>É o nome que os colegas veem como autor das mensagens e responsável.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Endereço do relay:</source>
        <translation>Endereço do relay:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Código de ativação:</source>
        <translation>Código de ativação:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome deste computador:</source>
        <translation>Nome deste computador:</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Conectando ao relay…</source>
        <translation>Conectando ao relay…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>O endereço do relay deve começar com https://.</source>
        <translation>O endereço do relay deve começar com https://.</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/connection_banner.py" line="+86"/>
        <source>reconectando…</source>
        <translation>reconectando…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tentando reconectar…</source>
        <translation>tentando reconectar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sem conexão com o servidor há {0} min — {1}</source>
        <translation>Sem conexão com o servidor há {0} min — {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sem conexão com o servidor — {0}</source>
        <translation>Sem conexão com o servidor — {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tentar agora</source>
        <translation>Tentar agora</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>As mensagens enviadas ficam na fila e saem quando voltar.</source>
        <translation>As mensagens enviadas ficam na fila e saem quando voltar.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../crm_whatsapp/ui/delegates/conversation.py" line="+63"/>
        <source>janela fechada</source>
        <translation>janela fechada</translation>
    </message>
</context>
<context>
    <name>Copilot</name>
    <message>
        <location filename="../../crm_whatsapp/ui/copilot_wiring.py" line="+78"/>
        <source>Fechar</source>
        <translation>Fechar</translation>
    </message>
    <message>
        <location line="+219"/>
        <location line="+22"/>
        <source>Resposta rápida</source>
        <translation>Resposta rápida</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?</source>
        <translation>Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Salvar</source>
        <translation>Salvar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agora não</source>
        <translation>Agora não</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Atalho (digitado depois de /):</source>
        <translation>Atalho (digitado depois de /):</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Resumindo a conversa…</source>
        <translation>Resumindo a conversa…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Resumo da conversa</source>
        <translation>Resumo da conversa</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Para quem vai assumir a conversa. Confira antes de usar.</source>
        <translation>Para quem vai assumir a conversa. Confira antes de usar.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Adicionar como nota interna</source>
        <translation>Adicionar como nota interna</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Escreva um rascunho para o Copilot reescrever.</source>
        <translation>Escreva um rascunho para o Copilot reescrever.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reescrevendo o rascunho…</source>
        <translation>Reescrevendo o rascunho…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Não há mensagem do cliente para traduzir.</source>
        <translation>Não há mensagem do cliente para traduzir.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tradução</source>
        <translation>Tradução</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nada foi enviado a um modelo desde que o programa abriu.</source>
        <translation>Nada foi enviado a um modelo desde que o programa abriu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O que sai deste computador</source>
        <translation>O que sai deste computador</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.</source>
        <translation>A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.</translation>
    </message>
</context>
<context>
    <name>CopilotPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/copilot_settings.py" line="+60"/>
        <source>Sugerir respostas com o Copilot</source>
        <translation>Sugerir respostas com o Copilot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)</source>
        <translation>Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>https://api.exemplo.com/v1</source>
        <translation>https://api.exemplo.com/v1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nome do modelo</source>
        <translation>nome do modelo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>guardada no cofre de senhas do sistema</source>
        <translation>guardada no cofre de senhas do sistema</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo</source>
        <translation>Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testar conexão</source>
        <translation>Testar conexão</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Horários, preços, endereços, políticas: o que o modelo pode citar. Ele não inventa o que não estiver aqui.</source>
        <translation>Horários, preços, endereços, políticas: o que o modelo pode citar. Ele não inventa o que não estiver aqui.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Endereço da API:</source>
        <translation>Endereço da API:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modelo:</source>
        <translation>Modelo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave da API:</source>
        <translation>Chave da API:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Informações do escritório:</source>
        <translation>Informações do escritório:</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Nenhuma sugestão mostrada nos últimos 30 dias.</source>
        <translation>Nenhuma sugestão mostrada nos últimos 30 dias.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>histórico da equipe</source>
        <translation>histórico da equipe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modelo de IA</source>
        <translation>modelo de IA</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)</source>
        <translation>{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Últimos 30 dias — </source>
        <translation>Últimos 30 dias — </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Testando…</source>
        <translation>Testando…</translation>
    </message>
</context>
<context>
    <name>CrmCard</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/crm_card.py" line="+85"/>
        <location line="+87"/>
        <source>Abrir no CRM</source>
        <translation>Abrir no CRM</translation>
    </message>
    <message>
        <location line="-85"/>
        <location line="+86"/>
        <source>Criar contato</source>
        <translation>Criar contato</translation>
    </message>
    <message>
        <location line="-67"/>
        <location line="+69"/>
        <source>Consultando…</source>
        <translation>Consultando…</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+56"/>
        <source>Nenhum cadastro com este número.</source>
        <translation>Nenhum cadastro com este número.</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>(sem nome)</source>
        <translation>(sem nome)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empresa</source>
        <translation>Empresa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Responsável</source>
        <translation>Responsável</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Telefones</source>
        <translation>Telefones</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Negócio: {0}</source>
        <translation>Negócio: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Última atividade: {0}</source>
        <translation>Última atividade: {0}</translation>
    </message>
</context>
<context>
    <name>CrmFields</name>
    <message>
        <location line="-129"/>
        <source>Telefones</source>
        <translation>Telefones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mails</source>
        <translation>E-mails</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cargo</source>
        <translation>Cargo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fase do ciclo de vida</source>
        <translation>Fase do ciclo de vida</translation>
    </message>
</context>
<context>
    <name>CrmWiring</name>
    <message>
        <location filename="../../crm_whatsapp/ui/crm_wiring.py" line="+33"/>
        <source>Lead criado no {0}</source>
        <translation>Lead criado no {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negócio criado no {0}</source>
        <translation>Negócio criado no {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato criado no {0}</source>
        <translation>Contato criado no {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Conversa registrada no {0}</source>
        <translation>Conversa registrada no {0}</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Criar lead no CRM…</source>
        <translation>Criar lead no CRM…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registrar a conversa no CRM</source>
        <translation>Registrar a conversa no CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>Criar lead no CRM</source>
        <translation>Criar lead no CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Título</source>
        <translation>Título</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <location filename="../../crm_whatsapp/domain/dates.py" line="+16"/>
        <source>segunda-feira</source>
        <translation>segunda-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>terça-feira</source>
        <translation>terça-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarta-feira</source>
        <translation>quarta-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quinta-feira</source>
        <translation>quinta-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sexta-feira</source>
        <translation>sexta-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sábado</source>
        <translation>sábado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>domingo</source>
        <translation>domingo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>janeiro</source>
        <translation>janeiro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fevereiro</source>
        <translation>fevereiro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>março</source>
        <translation>março</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>abril</source>
        <translation>abril</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>maio</source>
        <translation>maio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>junho</source>
        <translation>junho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>julho</source>
        <translation>julho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>agosto</source>
        <translation>agosto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>setembro</source>
        <translation>setembro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outubro</source>
        <translation>outubro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>novembro</source>
        <translation>novembro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dezembro</source>
        <translation>dezembro</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hoje</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ontem</source>
        <translation>Ontem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hour:02d}:{minute:02d}</source>
        <translation>{hour:02d}:{minute:02d}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{day:02d}/{month:02d}/{year}</source>
        <translation>{day:02d}/{month:02d}/{year}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{day} de {month} de {year}</source>
        <translation>{day} de {month} de {year}</translation>
    </message>
</context>
<context>
    <name>EmojiPicker</name>
    <message>
        <location filename="../../crm_whatsapp/ui/emoji_picker.py" line="+23"/>
        <source>Carinhas</source>
        <translation>Carinhas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gestos</source>
        <translation>Gestos</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Corações</source>
        <translation>Corações</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Objetos</source>
        <translation>Objetos</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Recentes</source>
        <translation>Recentes</translation>
    </message>
</context>
<context>
    <name>JumpDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/jump.py" line="+39"/>
        <source>Ir para conversa</source>
        <translation>Ir para conversa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nome, número ou palavra</source>
        <translation>Nome, número ou palavra</translation>
    </message>
</context>
<context>
    <name>LabelPaletteDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/label_palette.py" line="+44"/>
        <source>Etiquetas da equipe</source>
        <translation>Etiquetas da equipe</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nova etiqueta…</source>
        <translation>Nova etiqueta…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renomear…</source>
        <translation>Renomear…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cor</source>
        <translation>Cor</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Excluir</source>
        <translation>Excluir</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Dê um nome à etiqueta.</source>
        <translation>Dê um nome à etiqueta.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use no máximo 40 caracteres.</source>
        <translation>Use no máximo 40 caracteres.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Já existe uma etiqueta com esse nome.</source>
        <translation>Já existe uma etiqueta com esse nome.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A equipe pode ter até 50 etiquetas.</source>
        <translation>A equipe pode ter até 50 etiquetas.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Nome da etiqueta:</source>
        <translation>Nome da etiqueta:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Nova etiqueta</source>
        <translation>Nova etiqueta</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Renomear etiqueta</source>
        <translation>Renomear etiqueta</translation>
    </message>
</context>
<context>
    <name>LatestButton</name>
    <message>
        <location filename="../../crm_whatsapp/ui/latest_button.py" line="+48"/>
        <source>Ir para a mensagem mais recente</source>
        <translation>Ir para a mensagem mais recente</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+845"/>
        <source>CRM WhatsApp</source>
        <translation>CRM WhatsApp</translation>
    </message>
    <message>
        <location line="-453"/>
        <source>Pesquisar contatos e mensagens</source>
        <translation>Pesquisar contatos e mensagens</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+45"/>
        <source>Minhas</source>
        <translation>Minhas</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Sem responsável</source>
        <translation>Sem responsável</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+3"/>
        <source>Todas</source>
        <translation>Todas</translation>
    </message>
    <message>
        <location line="+0"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Não lidas</source>
        <translation>Não lidas</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+3"/>
        <source>Abertas</source>
        <translation>Abertas</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Pendentes</source>
        <translation>Pendentes</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Adiadas</source>
        <translation>Adiadas</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Resolvidas</source>
        <translation>Resolvidas</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+1"/>
        <source>Todas as situações</source>
        <translation>Todas as situações</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Configurações</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location line="+246"/>
        <source>Ver original</source>
        <translation>Ver original</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Mensagem original</source>
        <translation>Mensagem original</translation>
    </message>
    <message>
        <location line="+196"/>
        <source>Este computador precisa de um novo código de ativação.</source>
        <translation>Este computador precisa de um novo código de ativação.</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Ainda não chegou nenhuma mensagem a este número da empresa: a primeira conversa precisa começar pelo cliente.</source>
        <translation>Ainda não chegou nenhuma mensagem a este número da empresa: a primeira conversa precisa começar pelo cliente.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/media_files.py" line="+99"/>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+44"/>
        <source>Abrir</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="-544"/>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+1"/>
        <source>Sair</source>
        <translation>Sair</translation>
    </message>
    <message>
        <location line="+176"/>
        <source>Responsável: {0}</source>
        <translation>Responsável: {0}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ninguém</source>
        <translation>ninguém</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Responder</source>
        <translation>Responder</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reagir</source>
        <translation>Reagir</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copiar texto</source>
        <translation>Copiar texto</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/media_files.py" line="+2"/>
        <source>Abrir mídia</source>
        <translation>Abrir mídia</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Baixando mídia…</source>
        <translation>Baixando mídia…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>O arquivo guardado desta mensagem está danificado e não pode ser aberto.</source>
        <translation>O arquivo guardado desta mensagem está danificado e não pode ser aberto.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Não foi possível baixar a mídia; tente de novo.</source>
        <translation>Não foi possível baixar a mídia; tente de novo.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>O arquivo desta mensagem não está mais neste computador.</source>
        <translation>O arquivo desta mensagem não está mais neste computador.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Imagem</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco.</source>
        <translation>Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nenhum programa deste computador abre este tipo de arquivo.</source>
        <translation>Nenhum programa deste computador abre este tipo de arquivo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Arquivo recebido</source>
        <translation>Arquivo recebido</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“{0}” pode executar programas neste computador, por isso não é aberto aqui: use “Salvar como…” e abra-o só se confiar em quem o enviou.</source>
        <translation>“{0}” pode executar programas neste computador, por isso não é aberto aqui: use “Salvar como…” e abra-o só se confiar em quem o enviou.</translation>
    </message>
    <message>
        <location line="-120"/>
        <location line="+123"/>
        <location line="+15"/>
        <source>Salvar como…</source>
        <translation>Salvar como…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta.</source>
        <translation>Não foi possível salvar o arquivo; escolha outra pasta.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Arquivo salvo.</source>
        <translation>Arquivo salvo.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+51"/>
        <source>Anexar arquivos</source>
        <translation>Anexar arquivos</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/team_actions.py" line="+86"/>
        <source>Conversa pendente: saiu de Abertas e espera em Pendentes.</source>
        <translation>Conversa pendente: saiu de Abertas e espera em Pendentes.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Conversa adiada: volta para Abertas em {0}.</source>
        <translation>Conversa adiada: volta para Abertas em {0}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nota interna</source>
        <translation>Nota interna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Só a equipe vê esta nota:</source>
        <translation>Só a equipe vê esta nota:</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+5"/>
        <source>CRM WhatsApp: {0} não lidas</source>
        <translation>CRM WhatsApp: {0} não lidas</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+149"/>
        <source>Conectando ao relay…</source>
        <translation>Conectando ao relay…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sincronizando mensagens…</source>
        <translation>Sincronizando mensagens…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conectado</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sem conexão: tentando de novo; as mensagens enviadas ficam na fila.</source>
        <translation>Sem conexão: tentando de novo; as mensagens enviadas ficam na fila.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>A caixa de entrada não consegue aplicar o que chega do relay (as mensagens continuam guardadas no relay). Contate o suporte.</source>
        <translation>A caixa de entrada não consegue aplicar o que chega do relay (as mensagens continuam guardadas no relay). Contate o suporte.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%v de %m</source>
        <translation>%v de %m</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/settings_wiring.py" line="+129"/>
        <source>Não foi possível apagar o histórico antigo agora.</source>
        <translation>Não foi possível apagar o histórico antigo agora.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} mensagens antigas apagadas (guardar {1} meses).</source>
        <translation>{0} mensagens antigas apagadas (guardar {1} meses).</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/team_wiring.py" line="+3"/>
        <source>Nenhuma conversa atribuída a você.</source>
        <translation>Nenhuma conversa atribuída a você.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa sem responsável.</source>
        <translation>Nenhuma conversa sem responsável.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa não lida.</source>
        <translation>Nenhuma conversa não lida.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nenhuma conversa aberta.</source>
        <translation>Nenhuma conversa aberta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa pendente.</source>
        <translation>Nenhuma conversa pendente.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa adiada.</source>
        <translation>Nenhuma conversa adiada.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa resolvida.</source>
        <translation>Nenhuma conversa resolvida.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nenhuma conversa ainda.</source>
        <translation>Nenhuma conversa ainda.</translation>
    </message>
    <message>
        <location line="+190"/>
        <location line="+12"/>
        <source>Todas as etiquetas</source>
        <translation>Todas as etiquetas</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nenhuma conversa encontrada.</source>
        <translation>Nenhuma conversa encontrada.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nenhuma conversa com a etiqueta {0}.</source>
        <translation>Nenhuma conversa com a etiqueta {0}.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Marcar como não lida</source>
        <translation>Marcar como não lida</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Desafixar conversa</source>
        <translation>Desafixar conversa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fixar conversa</source>
        <translation>Fixar conversa</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Você pode fixar até 3 conversas.</source>
        <translation>Você pode fixar até 3 conversas.</translation>
    </message>
</context>
<context>
    <name>MetaErrors</name>
    <message>
        <location filename="../../crm_whatsapp/domain/meta_errors.py" line="+22"/>
        <source>Mais de 24 horas desde a última mensagem do cliente: envie um modelo aprovado para retomar a conversa.</source>
        <translation>Mais de 24 horas desde a última mensagem do cliente: envie um modelo aprovado para retomar a conversa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.</source>
        <translation>Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta optou por não entregar esta mensagem de marketing para manter o engajamento do cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.</source>
        <translation>A Meta optou por não entregar esta mensagem de marketing para manter o engajamento do cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O cliente pediu para não receber mensagens de marketing desta empresa.</source>
        <translation>O cliente pediu para não receber mensagens de marketing desta empresa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O número da empresa atingiu o limite de envios por segundo da Meta: aguarde alguns instantes e tente de novo.</source>
        <translation>O número da empresa atingiu o limite de envios por segundo da Meta: aguarde alguns instantes e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de novo.</source>
        <translation>Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.</source>
        <translation>O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de novo.</source>
        <translation>A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo.</source>
        <translation>Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta limitou os envios deste número porque muitas mensagens anteriores foram bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.</source>
        <translation>A Meta limitou os envios deste número porque muitas mensagens anteriores foram bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma.</source>
        <translation>O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de novo.</source>
        <translation>A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de novo.</source>
        <translation>A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo.</source>
        <translation>A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O serviço da Meta está instável no momento: tente de novo em instantes.</source>
        <translation>O serviço da Meta está instável no momento: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em instantes.</source>
        <translation>A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de novo.</source>
        <translation>Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de novo.</source>
        <translation>A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O destinatário é o próprio número da empresa, que não pode enviar mensagens para si mesmo.</source>
        <translation>O destinatário é o próprio número da empresa, que não pode enviar mensagens para si mesmo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A conta de WhatsApp Business da empresa foi bloqueada: avise o administrador.</source>
        <translation>A conta de WhatsApp Business da empresa foi bloqueada: avise o administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta bloqueou temporariamente os envios deste número por violação das suas políticas: avise o administrador.</source>
        <translation>A Meta bloqueou temporariamente os envios deste número por violação das suas políticas: avise o administrador.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o administrador.</source>
        <translation>Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o administrador.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O número da empresa não está registrado no WhatsApp Business: avise o administrador.</source>
        <translation>O número da empresa não está registrado no WhatsApp Business: avise o administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A autorização do servidor da empresa na Meta expirou ou foi revogada: avise o administrador para renová-la.</source>
        <translation>A autorização do servidor da empresa na Meta expirou ou foi revogada: avise o administrador para renová-la.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O servidor da empresa não tem permissão da Meta para enviar por este número: avise o administrador.</source>
        <translation>O servidor da empresa não tem permissão da Meta para enviar por este número: avise o administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de usuário do WhatsApp.</source>
        <translation>Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de usuário do WhatsApp.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis preenchidas.</source>
        <translation>A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis preenchidas.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a recebeu antes de reenviar, para não mandar duas vezes.</source>
        <translation>Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a recebeu antes de reenviar, para não mandar duas vezes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O servidor da empresa não conseguiu se conectar à Meta: tente de novo em instantes.</source>
        <translation>O servidor da empresa não conseguiu se conectar à Meta: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sem conexão com o servidor da empresa: verifique a internet e tente de novo.</source>
        <translation>Sem conexão com o servidor da empresa: verifique a internet e tente de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O servidor demorou demais para responder: tente de novo em instantes.</source>
        <translation>O servidor demorou demais para responder: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Este computador não está mais autorizado no servidor da empresa: avise o administrador.</source>
        <translation>Este computador não está mais autorizado no servidor da empresa: avise o administrador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O arquivo é grande demais para ser enviado pelo WhatsApp.</source>
        <extracomment>Set when the stack made its own folder: :meth:`stop` then removes it.</extracomment>
        <translation>O arquivo é grande demais para ser enviado pelo WhatsApp.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Meta recusou a mensagem.</source>
        <translation>A Meta recusou a mensagem.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Meta recusou a mensagem (código {code}).</source>
        <translation>A Meta recusou a mensagem (código {code}).</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>A quantidade de variáveis preenchidas não corresponde à que o modelo espera.</source>
        <translation>A quantidade de variáveis preenchidas não corresponde à que o modelo espera.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O modelo não existe ou ainda não foi aprovado no idioma escolhido.</source>
        <translation>O modelo não existe ou ainda não foi aprovado no idioma escolhido.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O texto do modelo ficou longo demais depois de preenchidas as variáveis.</source>
        <translation>O texto do modelo ficou longo demais depois de preenchidas as variáveis.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo.</source>
        <translation>O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Uma variável do modelo está em um formato diferente do esperado.</source>
        <translation>Uma variável do modelo está em um formato diferente do esperado.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por enquanto.</source>
        <translation>O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por enquanto.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O modelo foi desativado pela Meta depois de várias pausas: escolha outro modelo.</source>
        <translation>O modelo foi desativado pela Meta depois de várias pausas: escolha outro modelo.</translation>
    </message>
</context>
<context>
    <name>NewCodeNotice</name>
    <message>
        <location filename="../../crm_whatsapp/ui/keys_wiring.py" line="+47"/>
        <source>Novo código de ativação</source>
        <translation>Novo código de ativação</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Informar código novo…</source>
        <translation>Informar código novo…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Agora não</source>
        <translation>Agora não</translation>
    </message>
</context>
<context>
    <name>PhotoViewer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/photo_viewer.py" line="+104"/>
        <source>Diminuir (Ctrl+−)</source>
        <translation>Diminuir (Ctrl+−)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aumentar (Ctrl++)</source>
        <translation>Aumentar (Ctrl++)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ajustar</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ajustar à janela (Ctrl+0)</source>
        <translation>Ajustar à janela (Ctrl+0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tamanho real</source>
        <translation>Tamanho real</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salvar como…</source>
        <translation>Salvar como…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fechar (Esc)</source>
        <translation>Fechar (Esc)</translation>
    </message>
</context>
<context>
    <name>PluginsPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/plugins_settings.py" line="+59"/>
        <source>Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, Pipedrive e HubSpot vêm com o programa; veja docs/plugins.md.</source>
        <translation>Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, Pipedrive e HubSpot vêm com o programa; veja docs/plugins.md.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Este plugin não pode ser usado: {0}.</source>
        <translation>Este plugin não pode ser usado: {0}.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>salvo no cofre do sistema (deixe em branco para manter)</source>
        <translation>salvo no cofre do sistema (deixe em branco para manter)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Registrar a conversa no CRM ao resolver</source>
        <translation>Registrar a conversa no CRM ao resolver</translation>
    </message>
</context>
<context>
    <name>Previews</name>
    <message>
        <location filename="../../crm_whatsapp/ui/previews.py" line="+20"/>
        <source>Foto</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Áudio</source>
        <translation>Áudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figurinha</source>
        <translation>Figurinha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Localização</source>
        <translation>Localização</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato</source>
        <translation>Contato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modelo</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Novo contato</source>
        <translation>Novo contato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mensagem apagada</source>
        <translation>Mensagem apagada</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Mensagem não suportada</source>
        <translation>Mensagem não suportada</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reagiu {0} a: {1}</source>
        <translation>Reagiu {0} a: {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Você reagiu {0} a: {1}</source>
        <translation>Você reagiu {0} a: {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reagiu {0} a uma mensagem</source>
        <translation>Reagiu {0} a uma mensagem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Você reagiu {0} a uma mensagem</source>
        <translation>Você reagiu {0} a uma mensagem</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mensagem</source>
        <translation>Mensagem</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Você: {0}</source>
        <translation>Você: {0}</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../crm_whatsapp/security/keys.py" line="+97"/>
        <source>Houve um problema com as chaves de criptografia do perfil.</source>
        <translation>Houve um problema com as chaves de criptografia do perfil.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>O cofre de senhas do sistema não está disponível; abra a sessão do usuário ou use a chave de recuperação.</source>
        <translation>O cofre de senhas do sistema não está disponível; abra a sessão do usuário ou use a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo na sessão do usuário ou use a chave de recuperação.</source>
        <translation>O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo na sessão do usuário ou use a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A chave que protege o histórico não foi encontrada no cofre de senhas do sistema; informe a chave de recuperação.</source>
        <translation>A chave que protege o histórico não foi encontrada no cofre de senhas do sistema; informe a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A chave guardada no cofre de senhas não abre este histórico e nada foi alterado; informe a chave de recuperação.</source>
        <translation>A chave guardada no cofre de senhas não abre este histórico e nada foi alterado; informe a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Esta chave de recuperação não pertence a este perfil e nada foi alterado; confira se é a folha deste computador.</source>
        <translation>Esta chave de recuperação não pertence a este perfil e nada foi alterado; confira se é a folha deste computador.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa.</source>
        <translation>A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.</source>
        <translation>Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Este perfil já tem chaves de criptografia e nenhuma chave nova será criada sobre os dados existentes; use a chave de recuperação se o cofre falhar.</source>
        <translation>Este perfil já tem chaves de criptografia e nenhuma chave nova será criada sobre os dados existentes; use a chave de recuperação se o cofre falhar.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; restaure-o de um backup, pois uma chave nova não abriria os dados antigos.</source>
        <translation>Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; restaure-o de um backup, pois uma chave nova não abriria os dados antigos.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão mais nova; restaure-o de um backup ou atualize o aplicativo.</source>
        <translation>O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão mais nova; restaure-o de um backup ou atualize o aplicativo.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/session.py" line="+221"/>
        <source>O inbox não está conectado ao relay.</source>
        <extracomment>The built-in CRM plugins (pyproject&apos;s ``crm_whatsapp.plugins`` entry points). The keyring backend each platform&apos;s profile keeps its key with. What an unencrypted SQLite file starts with; an encrypted one starts with random salt. Portuguese dictionary order, as Qt with ICU&apos;s full data sorts it: letters first, then accents, then case (installer/bundle/trim_icu.py keeps only en/pt data on Linux).</extracomment>
        <translation>O inbox não está conectado ao relay.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sem conexão com o relay; tente de novo quando a conexão voltar.</source>
        <translation>Sem conexão com o relay; tente de novo quando a conexão voltar.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Não foi possível carregar os modelos aprovados.</source>
        <translation>Não foi possível carregar os modelos aprovados.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Não foi possível carregar a lista de colegas.</source>
        <translation>Não foi possível carregar a lista de colegas.</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>O relay recusou a alteração; tente de novo.</source>
        <translation>O relay recusou a alteração; tente de novo.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/store/database.py" line="+40"/>
        <source>O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; reinstale o aplicativo.</source>
        <translation>O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; reinstale o aplicativo.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>O histórico não pôde ser aberto com esta chave; nada foi alterado. Use a chave de recuperação.</source>
        <translation>O histórico não pôde ser aberto com esta chave; nada foi alterado. Use a chave de recuperação.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/sync/client.py" line="+72"/>
        <source>O relay recusou este computador (dispositivo revogado ou desconhecido); peça um novo código ao administrador.</source>
        <translation>O relay recusou este computador (dispositivo revogado ou desconhecido); peça um novo código ao administrador.</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Não foi possível sincronizar com o relay; verifique o endereço e a conexão.</source>
        <translation>Não foi possível sincronizar com o relay; verifique o endereço e a conexão.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/sync/media.py" line="+103"/>
        <source>A mídia não está mais disponível no WhatsApp (expira em 7 dias).</source>
        <translation>A mídia não está mais disponível no WhatsApp (expira em 7 dias).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>O relay não conseguiu baixar a mídia agora.</source>
        <translation>O relay não conseguiu baixar a mídia agora.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A mídia passa do limite de 100 MB.</source>
        <translation>A mídia passa do limite de 100 MB.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sem conexão com o relay para baixar a mídia.</source>
        <translation>Sem conexão com o relay para baixar a mídia.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/workspace.py" line="+54"/>
        <source>Este computador ainda não foi conectado ao relay; use &apos;crm-whatsapp enroll ENDEREÇO CÓDIGO&apos;.</source>
        <translation>Este computador ainda não foi conectado ao relay; use &apos;crm-whatsapp enroll ENDEREÇO CÓDIGO&apos;.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Este computador precisa de um novo código de ativação: o relay não reconhece mais este computador (o perfil foi restaurado em outro PC ou o dispositivo foi revogado); peça um código ao administrador, e o histórico fica como está.</source>
        <translation>Este computador precisa de um novo código de ativação: o relay não reconhece mais este computador (o perfil foi restaurado em outro PC ou o dispositivo foi revogado); peça um código ao administrador, e o histórico fica como está.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>A chave de recuperação está certa, mas o chaveiro do sistema continua fechado e é nele que fica a conexão com o relay; entre de novo na sessão do usuário e abra o CRM WhatsApp outra vez.</source>
        <translation>A chave de recuperação está certa, mas o chaveiro do sistema continua fechado e é nele que fica a conexão com o relay; entre de novo na sessão do usuário e abra o CRM WhatsApp outra vez.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Não foi possível gravar na pasta do perfil; confira as permissões da pasta (ou a variável CRM_WHATSAPP_HOME) e tente de novo.</source>
        <translation>Não foi possível gravar na pasta do perfil; confira as permissões da pasta (ou a variável CRM_WHATSAPP_HOME) e tente de novo.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>O código de ativação já foi usado, mas este computador não conseguiu guardar a conexão; peça ao administrador que revogue o dispositivo com &apos;crm-whatsapp-relay device revoke {0}&apos; e gere um código novo com &apos;crm-whatsapp-relay device add&apos;.</source>
        <translation>O código de ativação já foi usado, mas este computador não conseguiu guardar a conexão; peça ao administrador que revogue o dispositivo com &apos;crm-whatsapp-relay device revoke {0}&apos; e gere um código novo com &apos;crm-whatsapp-relay device add&apos;.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/updates.py" line="+89"/>
        <source>Não foi possível procurar atualizações agora.</source>
        <translation>Não foi possível procurar atualizações agora.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O endereço de atualizações deve começar com https://; nada foi procurado.</source>
        <translation>O endereço de atualizações deve começar com https://; nada foi procurado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O aviso de atualização é grande demais e foi ignorado.</source>
        <translation>O aviso de atualização é grande demais e foi ignorado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O aviso de atualização não tem uma assinatura válida e foi ignorado.</source>
        <translation>O aviso de atualização não tem uma assinatura válida e foi ignorado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O aviso de atualização está malformado e foi ignorado.</source>
        <translation>O aviso de atualização está malformado e foi ignorado.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O aviso de atualização expirou e foi ignorado.</source>
        <translation>O aviso de atualização expirou e foi ignorado.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Não foi possível baixar a atualização; tente de novo mais tarde.</source>
        <translation>Não foi possível baixar a atualização; tente de novo mais tarde.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O instalador baixado é maior do que o anunciado e foi apagado.</source>
        <translation>O instalador baixado é maior do que o anunciado e foi apagado.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O instalador baixado não confere com a atualização assinada e foi apagado; nada foi instalado.</source>
        <translation>O instalador baixado não confere com a atualização assinada e foi apagado; nada foi instalado.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não foi possível salvar o instalador; verifique o espaço em disco.</source>
        <translation>Não foi possível salvar o instalador; verifique o espaço em disco.</translation>
    </message>
</context>
<context>
    <name>RecoveryNotice</name>
    <message>
        <location filename="../../crm_whatsapp/ui/recovery_notice.py" line="+93"/>
        <source>Este computador foi configurado pelo suporte. Antes de começar, guarde a chave de recuperação do histórico.</source>
        <translation>Este computador foi configurado pelo suporte. Antes de começar, guarde a chave de recuperação do histórico.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Concluir</source>
        <translation>Concluir</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Mostrar depois</source>
        <translation>Mostrar depois</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+35"/>
        <source>Chave de recuperação</source>
        <translation>Chave de recuperação</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Esta chave abre o histórico num computador novo ou se o cofre de senhas do sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num pendrive guardado, nunca no próprio computador.</source>
        <translation>Esta chave abre o histórico num computador novo ou se o cofre de senhas do sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num pendrive guardado, nunca no próprio computador.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copiar</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Salvar em arquivo…</source>
        <translation>Salvar em arquivo…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Guardei a chave de recuperação em lugar seguro</source>
        <translation>Guardei a chave de recuperação em lugar seguro</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.</source>
        <translation>Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Salvar chave de recuperação</source>
        <translation>Salvar chave de recuperação</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Texto (*.txt)</source>
        <translation>Texto (*.txt)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chave-de-recuperacao-crm-whatsapp.txt</source>
        <translation>chave-de-recuperacao-crm-whatsapp.txt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>CRM WhatsApp — chave de recuperação</source>
        <translation>CRM WhatsApp — chave de recuperação</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computador: {0}</source>
        <translation>Computador: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo do perfil consegue ler o histórico.</source>
        <translation>Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo do perfil consegue ler o histórico.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive.</source>
        <translation>Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chave salva em {0}.</source>
        <translation>Chave salva em {0}.</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <location filename="../../crm_whatsapp/ui/search_results.py" line="+44"/>
        <source>Cliente</source>
        <extracomment>Sizes pre-rendered into every icon: the 16/24/32/48 px the widgets ask for, and their 2x counterparts so HiDPI screens get a sharp pixmap instead of an upscaled one. The product icon also feeds the window manager, task bar and tray, which ask for more.</extracomment>
        <translation>Cliente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nota de {0}</source>
        <extracomment>The colour line icons are drawn in on each theme&apos;s bars, for ``icon(name, ICON_COLOR[theme])``: the style sheets&apos; neutral grey on light, a light grey on dark (both &gt;= 4.5:1 on their</extracomment>
        <translation>Nota de {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>Você</source>
        <extracomment>panels). The send button is a green disc in both themes and takes &quot;#FFFFFF&quot; instead.</extracomment>
        <translation>Você</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Mensagens ({0})</source>
        <extracomment>Colour emoji fonts, best first: customers write 👍🙏 and the previews show 📍📄🎤, which are empty boxes in a font without them. Linux has Noto&apos;s when ``fonts-noto-color-emoji`` is installed (``tools/system-deps.sh``) or bundled in ``resources/fonts``; Windows ships Segoe UI Emoji, macOS Apple Color Emoji.</extracomment>
        <translation>Mensagens ({0})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nenhuma mensagem encontrada.</source>
        <translation>Nenhuma mensagem encontrada.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/settings_dialog.py" line="+96"/>
        <source>Configurações</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Geral</source>
        <translation>Geral</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notificações</source>
        <translation>Notificações</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Respostas rápidas</source>
        <translation>Respostas rápidas</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Auditoria</source>
        <translation>Auditoria</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+5"/>
        <source>Sistema</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claro</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escuro</source>
        <translation>Escuro</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Para sempre</source>
        <translation>Para sempre</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+99"/>
        <source>{0} meses</source>
        <translation>{0} meses</translation>
    </message>
    <message>
        <location line="-97"/>
        <source>Idioma:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tema:</source>
        <translation>Tema:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guardar o histórico:</source>
        <translation>Guardar o histórico:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mostrar notificação na área de trabalho quando chegar mensagem</source>
        <translation>Mostrar notificação na área de trabalho quando chegar mensagem</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tocar som ao chegar mensagem</source>
        <translation>Tocar som ao chegar mensagem</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso um código de ativação novo, gerado pelo administrador.</source>
        <translation>Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso um código de ativação novo, gerado pelo administrador.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Desligado</source>
        <translation>Desligado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endereço do relay:</source>
        <translation>Endereço do relay:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome deste computador:</source>
        <translation>Nome deste computador:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endereço de atualizações:</source>
        <translation>Endereço de atualizações:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Atalho</source>
        <translation>Atalho</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Texto</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>ex.: bomdia</source>
        <translation>ex.: bomdia</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Texto enviado ao digitar /atalho</source>
        <translation>Texto enviado ao digitar /atalho</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nova</source>
        <translation>Nova</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salvar resposta</source>
        <translation>Salvar resposta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remover</source>
        <translation>Remover</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Atalho:</source>
        <translation>Atalho:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texto:</source>
        <translation>Texto:</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>O endereço de atualizações deve começar com https://.</source>
        <translation>O endereço de atualizações deve começar com https://.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Não foi possível guardar a chave da API ou as informações do escritório; confira o cofre de senhas do sistema e tente de novo.</source>
        <translation>Não foi possível guardar a chave da API ou as informações do escritório; confira o cofre de senhas do sistema e tente de novo.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Não foi possível salvar as configurações dos plugins de CRM; confira o cofre de senhas do sistema e o espaço em disco e tente de novo.</source>
        <translation>Não foi possível salvar as configurações dos plugins de CRM; confira o cofre de senhas do sistema e o espaço em disco e tente de novo.</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>O endereço da API do Copilot deve começar com https://.</source>
        <translation>O endereço da API do Copilot deve começar com https://.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Não foi possível salvar as configurações; verifique o espaço em disco e tente de novo.</source>
        <translation>Não foi possível salvar as configurações; verifique o espaço em disco e tente de novo.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+40"/>
        <source>Configurar o CRM WhatsApp</source>
        <translation>Configurar o CRM WhatsApp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voltar</source>
        <translation>Voltar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avançar</source>
        <translation>Avançar</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Conectar</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Concluir</source>
        <translation>Concluir</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Este computador já tem um histórico protegido; informe um código de ativação novo para conectá-lo de novo ao relay.</source>
        <translation>Este computador já tem um histórico protegido; informe um código de ativação novo para conectá-lo de novo ao relay.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Não foi possível concluir a configuração; tente de novo e, se continuar, chame o suporte.</source>
        <translation>Não foi possível concluir a configuração; tente de novo e, se continuar, chame o suporte.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Guarde a chave de recuperação e marque a confirmação para concluir.</source>
        <translation>Guarde a chave de recuperação e marque a confirmação para concluir.</translation>
    </message>
</context>
<context>
    <name>SnoozeDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/snooze_dialog.py" line="+16"/>
        <source>Adiar conversa</source>
        <translation>Adiar conversa</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A conversa volta para Abertas em:</source>
        <translation>A conversa volta para Abertas em:</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../crm_whatsapp/domain/meta_errors.py" line="+37"/>
        <source>Enviando…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aceita pela Meta</source>
        <translation>Aceita pela Meta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviada</source>
        <translation>Enviada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entregue</source>
        <translation>Entregue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lida</source>
        <translation>Lida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Falhou</source>
        <translation>Falhou</translation>
    </message>
</context>
<context>
    <name>SuggestionBar</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/suggestion_bar.py" line="+35"/>
        <source>Mais formal</source>
        <translation>Mais formal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais simpática</source>
        <translation>Mais simpática</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais curta</source>
        <translation>Mais curta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Corrigir</source>
        <translation>Corrigir</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>resposta rápida</source>
        <translation>resposta rápida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modelo aprovado {0}</source>
        <translation>modelo aprovado {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>modelo de IA</source>
        <translation>modelo de IA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>usada {0}× pela equipe</source>
        <translation>usada {0}× pela equipe</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>resposta da equipe</source>
        <translation>resposta da equipe</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resumir, reescrever, traduzir</source>
        <translation>Resumir, reescrever, traduzir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resumir a conversa</source>
        <translation>Resumir a conversa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reescrever o rascunho</source>
        <translation>Reescrever o rascunho</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Traduzir a mensagem do cliente</source>
        <translation>Traduzir a mensagem do cliente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O que sai deste computador</source>
        <translation>O que sai deste computador</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Modelo: {0}</source>
        <translation>Modelo: {0}</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/template_dialog.py" line="+53"/>
        <source>Imagens (*.jpg *.jpeg *.png)</source>
        <translation>Imagens (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeos (*.mp4 *.3gp)</source>
        <translation>Vídeos (*.mp4 *.3gp)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)</source>
        <translation>Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Enviar modelo aprovado</source>
        <translation>Enviar modelo aprovado</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nenhum modelo aprovado está disponível.</source>
        <translation>Nenhum modelo aprovado está disponível.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Preencha as variáveis</source>
        <translation>Preencha as variáveis</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Enviar modelo</source>
        <translation>Enviar modelo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Texto do modelo:</source>
        <translation>Texto do modelo:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Como o cliente vai ler:</source>
        <translation>Como o cliente vai ler:</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Escolher arquivo…</source>
        <translation>Escolher arquivo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cabeçalho:</source>
        <translation>Cabeçalho:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cabeçalho {0}</source>
        <translation>Cabeçalho {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Botão “{0}”</source>
        <translation>Botão “{0}”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Este modelo pede um cabeçalho de localização ou botões de código, e ainda não pode ser enviado por aqui.</source>
        <translation>Este modelo pede um cabeçalho de localização ou botões de código, e ainda não pode ser enviado por aqui.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Arquivo do cabeçalho</source>
        <translation>Arquivo do cabeçalho</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Escolha um arquivo de até 16 MB para o cabeçalho.</source>
        <translation>Escolha um arquivo de até 16 MB para o cabeçalho.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Não foi possível ler o arquivo do cabeçalho.</source>
        <translation>Não foi possível ler o arquivo do cabeçalho.</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+3"/>
        <source>ex.: {0}</source>
        <translation>ex.: {0}</translation>
    </message>
</context>
<context>
    <name>ThreadHeader</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/header.py" line="+143"/>
        <source>Atribuir</source>
        <translation>Atribuir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Etiquetas</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nota interna (só a equipe vê)</source>
        <translation>Nota interna (só a equipe vê)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pendente</source>
        <translation>Pendente</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aguardando o cliente ou a equipe: sai de Abertas e espera em Pendentes</source>
        <translation>Aguardando o cliente ou a equipe: sai de Abertas e espera em Pendentes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais opções</source>
        <translation>Mais opções</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Nenhuma conversa aberta</source>
        <translation>Nenhuma conversa aberta</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>janela aberta: {0}</source>
        <translation>janela aberta: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>janela de 24 h fechada</source>
        <translation>janela de 24 h fechada</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>com {0}</source>
        <translation>com {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sem responsável</source>
        <translation>sem responsável</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reabrir</source>
        <translation>Reabrir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolver</source>
        <translation>Resolver</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Atribuir a mim</source>
        <translation>Atribuir a mim</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remover atribuição</source>
        <translation>Remover atribuição</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Transferir para</source>
        <translation>Transferir para</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} — online</source>
        <translation>{0} — online</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Nenhuma etiqueta criada ainda</source>
        <translation>Nenhuma etiqueta criada ainda</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gerenciar etiquetas…</source>
        <translation>Gerenciar etiquetas…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Marcar como não lida</source>
        <translation>Marcar como não lida</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Desafixar conversa</source>
        <translation>Desafixar conversa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fixar conversa</source>
        <translation>Fixar conversa</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Adiar</source>
        <translation>Adiar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 hora</source>
        <translation>1 hora</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amanhã, 9h</source>
        <translation>Amanhã, 9h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Próxima segunda, 9h</source>
        <translation>Próxima segunda, 9h</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Escolher data e hora…</source>
        <translation>Escolher data e hora…</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/unlock_dialog.py" line="+58"/>
        <location line="+28"/>
        <source>Abrir o histórico</source>
        <translation>Abrir o histórico</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Para abrir o histórico, digite abaixo a chave de recuperação: a folha com 14 grupos de letras e números, impressa ou salva quando este computador foi configurado. Nada do histórico se perde.</source>
        <translation>Para abrir o histórico, digite abaixo a chave de recuperação: a folha com 14 grupos de letras e números, impressa ou salva quando este computador foi configurado. Nada do histórico se perde.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>O chaveiro do sistema está trancado, e é nele que fica guardada a senha que abre o histórico deste computador.</source>
        <translation>O chaveiro do sistema está trancado, e é nele que fica guardada a senha que abre o histórico deste computador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O chaveiro do sistema não tem a senha deste histórico. Isso acontece num computador novo, depois de reinstalar o sistema ou de trocar de usuário.</source>
        <translation>O chaveiro do sistema não tem a senha deste histórico. Isso acontece num computador novo, depois de reinstalar o sistema ou de trocar de usuário.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A senha guardada no chaveiro do sistema não abre este histórico; nada foi alterado.</source>
        <translation>A senha guardada no chaveiro do sistema não abre este histórico; nada foi alterado.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O chaveiro do sistema não abriu, e é nele que fica guardada a senha que abre o histórico deste computador.</source>
        <translation>O chaveiro do sistema não abriu, e é nele que fica guardada a senha que abre o histórico deste computador.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Não foi possível conferir a chave agora; tente de novo.</source>
        <translation>Não foi possível conferir a chave agora; tente de novo.</translation>
    </message>
</context>
<context>
    <name>UpdateOffer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/update_offer.py" line="+228"/>
        <source>Não foi possível abrir o instalador; ele está em {0}.</source>
        <translation>Não foi possível abrir o instalador; ele está em {0}.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Baixar</source>
        <translation>Baixar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abrir instalador</source>
        <translation>Abrir instalador</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Baixando a versão {0}…</source>
        <translation>Baixando a versão {0}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Versão {0} baixada e conferida.</source>
        <translation>Versão {0} baixada e conferida.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tentar de novo</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Atualização obrigatória: esta versão não é mais aceita; instale a versão {0}.</source>
        <translation>Atualização obrigatória: esta versão não é mais aceita; instale a versão {0}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Versão {0} disponível —</source>
        <translation>Versão {0} disponível —</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/voice.py" line="+68"/>
        <source>Não foi possível tocar este áudio.</source>
        <translation>Não foi possível tocar este áudio.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nenhuma saída de som foi encontrada neste computador; conecte fones ou caixas de som para ouvir o áudio.</source>
        <translation>Nenhuma saída de som foi encontrada neste computador; conecte fones ou caixas de som para ouvir o áudio.</translation>
    </message>
</context>
<context>
    <name>VoiceRecorder</name>
    <message>
        <location filename="../../crm_whatsapp/ui/recorder.py" line="+56"/>
        <source>Nenhum microfone foi encontrado neste computador.</source>
        <translation>Nenhum microfone foi encontrado neste computador.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Este computador não consegue gerar mensagens de voz (falta o codificador Opus); reinstale o programa.</source>
        <translation>Este computador não consegue gerar mensagens de voz (falta o codificador Opus); reinstale o programa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nenhum som chegou do microfone; verifique se ele está ligado e se o sistema permite o acesso a ele.</source>
        <translation>Nenhum som chegou do microfone; verifique se ele está ligado e se o sistema permite o acesso a ele.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A mensagem de voz ficou curta demais; grave pelo menos 1 segundo.</source>
        <translation>A mensagem de voz ficou curta demais; grave pelo menos 1 segundo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A gravação chegou ao limite de {0} minutos e foi enviada.</source>
        <translation>A gravação chegou ao limite de {0} minutos e foi enviada.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A gravação foi descartada porque outra conversa foi aberta.</source>
        <translation>A gravação foi descartada porque outra conversa foi aberta.</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Não foi possível gravar o áudio; verifique o microfone e tente de novo.</source>
        <translation>Não foi possível gravar o áudio; verifique o microfone e tente de novo.</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <location filename="../../crm_whatsapp/domain/window.py" line="+49"/>
        <source>menos de 1 min</source>
        <extracomment>What a typed phone number may hold besides digits (NBSP: pasted from web pages).</extracomment>
        <translation>menos de 1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
</context>
</TS>
